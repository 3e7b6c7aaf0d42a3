/**
 * What an operator watches on a deployed stack: CloudWatch alarms on every callback and on the API,
 * an email topic they notify when `alarmEmail` is set, and one dashboard per stack.
 *
 * The alarm policies are plain data (`alarmPolicies`) so each threshold and its reason sit in one
 * table that the README and the tests read the same way.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FRONTLINE_TIMEOUT_MS } from "./config.js";

export interface MonitoredCallback {
  /** The callback's name (crm, routing, ...): names the alarms and dashboard rows. */
  name: string;
  functionName: pulumi.Input<string>;
}

export interface MonitoringArgs {
  /** `<project>-<stack>`: prefixes alarm and dashboard names, which are unique per account. */
  namePrefix: string;
  callbacks: readonly MonitoredCallback[];
  apiId: pulumi.Input<string>;
  /** The region the functions and API run in; the dashboard's widgets must name it. */
  region: pulumi.Input<string>;
  alarmEmail: string | undefined;
  latencyAlarmMs: number;
}

/** One alarm's shape, independent of which function or API it watches. */
export interface AlarmPolicy {
  /** Suffix of the alarm's name. */
  kind: "errors" | "throttles" | "5xx" | "latency-p99";
  metricName: string;
  statistic?: "Sum";
  extendedStatistic?: "p99";
  threshold: number;
  comparisonOperator: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold";
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  /** Why this threshold: shown in the alarm's description, so it reaches the email too. */
  why: string;
}

/*
 * Frontline volumes are a few thousand callbacks a day, a few a minute at most. Rates over such
 * small counts swing wildly, so the alarms count events instead. No traffic (nights, weekends) is
 * not a problem: every alarm treats missing data as not breaching.
 */
export function alarmPolicies(latencyAlarmMs: number): {
  perCallback: AlarmPolicy[];
  api: AlarmPolicy[];
} {
  // Events counted over one five-minute period: at these volumes a single one is already worth a look.
  const count = (kind: AlarmPolicy["kind"], metricName: string, threshold: number, why: string): AlarmPolicy => ({
    kind,
    metricName,
    statistic: "Sum",
    threshold,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    why,
  });
  const latency = (metricName: string, what: string): AlarmPolicy => ({
    kind: "latency-p99",
    metricName,
    extendedStatistic: "p99",
    threshold: latencyAlarmMs,
    comparisonOperator: "GreaterThanThreshold",
    periodSeconds: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    why:
      `${what} p99 above ${latencyAlarmMs} ms in 2 of 3 five-minute periods. Frontline gives up a bit ` +
      `under ${FRONTLINE_TIMEOUT_MS / 1000} s and Conversations at 5 s; warm requests take milliseconds and a ` +
      "cold start about 1 s, so this is a slow directory or a slow Twilio call on its way to timeouts. " +
      "Two periods, so one cold start meeting one slow Twilio answer does not page.",
  });
  return {
    perCallback: [
      count(
        "errors",
        "Errors",
        1,
        "At least 1 function error in 5 minutes. The handlers answer bad input and Twilio failures themselves, " +
          "so a function error is a crash or a timeout: the caller got no answer at all.",
      ),
      count(
        "throttles",
        "Throttles",
        1,
        "At least 1 throttled invocation in 5 minutes. Frontline volumes never reach Lambda's concurrency limit, " +
          "so something else in the account is using it up, and every throttle is a callback that failed.",
      ),
      latency("Duration", "Function duration"),
    ],
    api: [
      count(
        "5xx",
        "5xx",
        3,
        "At least 3 server errors in 5 minutes (about 5% of a busy 5 minutes). Includes the 500/503 answers " +
          "the functions give when they cannot do the work (a handler bug, a misconfiguration, SSM or Twilio " +
          "unavailable) and API Gateway's own 5xx (a missing invoke permission). A single 503 is a passing hiccup; " +
          "a broken callback repeats on every request and crosses 3 within minutes of use.",
      ),
      // The caller's view: unlike Duration it includes the cold start and API Gateway itself.
      latency("Latency", "API latency"),
    ],
  };
}

const LAMBDA = "AWS/Lambda";
const API_GATEWAY = "AWS/ApiGateway";

export class Monitoring extends pulumi.ComponentResource {
  /** Only with `alarmEmail`. */
  readonly topic: aws.sns.Topic | undefined;
  readonly subscription: aws.sns.TopicSubscription | undefined;
  readonly alarms: aws.cloudwatch.MetricAlarm[];
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("frontline:aws:Monitoring", name, {}, opts);
    const parent = { parent: this };

    if (args.alarmEmail) {
      // Unencrypted on purpose: CloudWatch cannot publish to a topic under the AWS-managed SNS key,
      // and an alarm notification carries only metric names and numbers.
      this.topic = new aws.sns.Topic("alarms", { displayName: `Frontline ${args.namePrefix}`.slice(0, 100) }, parent);
      // Pending until the recipient clicks the confirmation link AWS emails them.
      this.subscription = new aws.sns.TopicSubscription(
        "alarms-email",
        { topic: this.topic.arn, protocol: "email", endpoint: args.alarmEmail },
        parent,
      );
    }
    const actions = this.topic ? [this.topic.arn] : [];

    const policies = alarmPolicies(args.latencyAlarmMs);
    type Dimensions = Record<string, pulumi.Input<string>>;
    const alarm = (subject: string, namespace: string, dimensions: Dimensions, policy: AlarmPolicy) =>
      new aws.cloudwatch.MetricAlarm(
        `${subject}-${policy.kind}`,
        {
          name: `${args.namePrefix}-${subject}-${policy.kind}`,
          alarmDescription: `Frontline ${subject} (${args.namePrefix}): ${policy.why}`,
          namespace,
          metricName: policy.metricName,
          dimensions,
          statistic: policy.statistic,
          extendedStatistic: policy.extendedStatistic,
          // At a few requests a minute a p99 rests on few samples; CloudWatch would otherwise skip
          // such periods and the latency alarms would never evaluate at Frontline volumes.
          evaluateLowSampleCountPercentiles: policy.extendedStatistic ? "evaluate" : undefined,
          threshold: policy.threshold,
          comparisonOperator: policy.comparisonOperator,
          period: policy.periodSeconds,
          evaluationPeriods: policy.evaluationPeriods,
          datapointsToAlarm: policy.datapointsToAlarm,
          treatMissingData: "notBreaching",
          // Both directions, so the email thread ends with the all-clear.
          alarmActions: actions,
          okActions: actions,
        },
        parent,
      );

    this.alarms = [
      ...args.callbacks.flatMap((callback) =>
        policies.perCallback.map((policy) =>
          alarm(callback.name, LAMBDA, { FunctionName: callback.functionName }, policy),
        ),
      ),
      ...policies.api.map((policy) => alarm("api", API_GATEWAY, { ApiId: args.apiId }, policy)),
    ];

    const dashboardName = args.namePrefix;
    this.dashboard = new aws.cloudwatch.Dashboard(
      "dashboard",
      {
        dashboardName,
        dashboardBody: pulumi
          .all([
            pulumi.output(args.region),
            pulumi.output(args.apiId),
            pulumi.all(args.callbacks.map((c) => pulumi.output(c.functionName))),
            pulumi.all(this.alarms.map((a) => a.arn)),
          ])
          .apply(([region, apiId, functionNames, alarmArns]) =>
            JSON.stringify(
              dashboardBody({
                region,
                apiId,
                callbacks: args.callbacks.map((c, i) => ({ name: c.name, functionName: functionNames[i]! })),
                alarmArns,
                latencyAlarmMs: args.latencyAlarmMs,
              }),
            ),
          ),
      },
      parent,
    );

    // Standard partition; the console lives elsewhere in China and GovCloud.
    const cloudwatch = (region: string) => `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}`;
    this.dashboardUrl = pulumi
      .output(args.region)
      .apply((region) => `${cloudwatch(region)}#dashboards/dashboard/${dashboardName}`);

    this.registerOutputs({
      topicArn: this.topic?.arn,
      alarmArns: this.alarms.map((a) => a.arn),
      dashboardName: this.dashboard.dashboardName,
      dashboardUrl: this.dashboardUrl,
    });
  }
}

interface DashboardInput {
  region: string;
  apiId: string;
  callbacks: Array<{ name: string; functionName: string }>;
  alarmArns: string[];
  latencyAlarmMs: number;
}

type Metric = [string, string, string, string, { stat: string; label: string }];

/** The API first (what callers see), then one row per callback: counts on the left, duration on the right. */
export function dashboardBody(input: DashboardInput): { widgets: object[] } {
  const { region } = input;
  const limits = {
    horizontal: [
      { label: "latency alarm", value: input.latencyAlarmMs },
      { label: "Frontline gives up", value: FRONTLINE_TIMEOUT_MS },
    ],
  };
  const graph = (y: number, x: number, title: string, metrics: Metric[], extra: object = {}) => ({
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, view: "timeSeries", stacked: false, period: 60, metrics, ...extra },
  });
  const api = (metric: string, stat: string, label: string): Metric => [
    API_GATEWAY,
    metric,
    "ApiId",
    input.apiId,
    { stat, label },
  ];

  const widgets: object[] = [
    {
      type: "alarm",
      x: 0,
      y: 0,
      width: 24,
      height: 3,
      properties: { title: "Alarms", alarms: input.alarmArns },
    },
    graph(3, 0, "API: requests, 4xx, 5xx", [
      api("Count", "Sum", "requests"),
      api("4xx", "Sum", "4xx"),
      api("5xx", "Sum", "5xx"),
    ]),
    graph(3, 12, "API: latency (ms)", [api("Latency", "p50", "p50"), api("Latency", "p99", "p99")], {
      annotations: limits,
    }),
  ];
  input.callbacks.forEach(({ name, functionName }, row) => {
    const y = 9 + row * 6;
    const fn = (metric: string, stat: string, label: string): Metric => [
      LAMBDA,
      metric,
      "FunctionName",
      functionName,
      { stat, label },
    ];
    widgets.push(
      graph(y, 0, `${name}: invocations, errors, throttles`, [
        fn("Invocations", "Sum", "invocations"),
        fn("Errors", "Sum", "errors"),
        fn("Throttles", "Sum", "throttles"),
      ]),
      graph(y, 12, `${name}: duration (ms)`, [fn("Duration", "p50", "p50"), fn("Duration", "p99", "p99")], {
        annotations: limits,
      }),
    );
  });
  return { widgets };
}
