/**
 * The monitoring component under mocks: the email topic, one alarm per failure mode per callback and
 * on the API (each notifying the topic in both directions), and the dashboard's metrics.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CALLBACKS } from "../../infra/callbacks.js";
import { alarmPolicies } from "../../infra/monitoring.js";
import { API_ID, baseConfig, PROJECT, type ProgramRun, REGION, type Registered, runProgram } from "./program.js";

const T = {
  monitoring: "frontline:aws:Monitoring",
  topic: "aws:sns/topic:Topic",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  fn: "aws:lambda/function:Function",
};
const PREFIX = `${PROJECT}-dev`;

/** What an alarm watches, in one comparable line. */
const watched = (a: Registered) => {
  const i = a.inputs;
  const dimension = Object.entries(i["dimensions"] as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const statistic = i["statistic"] ?? i["extendedStatistic"];
  return `${i["namespace"]} ${i["metricName"]} ${dimension} ${statistic} ${i["comparisonOperator"]} ${i["threshold"]}`;
};

describe("with alarmEmail", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({ ...baseConfig(), [`${PROJECT}:alarmEmail`]: "oncall@example.com" });
  });

  it("creates a topic with an email subscription for the address", () => {
    const topic = run.one(T.topic);
    expect(run.one(T.subscription).inputs).toEqual(
      expect.objectContaining({ topic: topic.state["arn"], protocol: "email", endpoint: "oncall@example.com" }),
    );
  });

  it("alarms on each function's errors, throttles and p99 duration and on the API's 5xx and p99 latency", () => {
    const expected = [
      ...CALLBACKS.flatMap((spec) => {
        const fn = run.one(T.fn, spec.name).state["name"];
        return [
          `AWS/Lambda Errors FunctionName=${fn} Sum GreaterThanOrEqualToThreshold 1`,
          `AWS/Lambda Throttles FunctionName=${fn} Sum GreaterThanOrEqualToThreshold 1`,
          `AWS/Lambda Duration FunctionName=${fn} p99 GreaterThanThreshold 3000`,
        ];
      }),
      `AWS/ApiGateway 5xx ApiId=${API_ID} Sum GreaterThanOrEqualToThreshold 3`,
      `AWS/ApiGateway Latency ApiId=${API_ID} p99 GreaterThanThreshold 3000`,
    ];
    expect(run.ofType(T.alarm).map(watched).sort()).toEqual(expected.sort());
  });

  it("has every alarm notify the topic when it fires and when it clears", () => {
    const topicArn = run.one(T.topic).state["arn"];
    for (const alarm of run.ofType(T.alarm)) {
      expect(alarm.inputs["alarmActions"], alarm.name).toEqual([topicArn]);
      expect(alarm.inputs["okActions"], alarm.name).toEqual([topicArn]);
    }
  });

  it("treats no traffic as healthy and lets a p99 over few samples count", () => {
    for (const alarm of run.ofType(T.alarm)) {
      const i = alarm.inputs;
      expect(i["treatMissingData"], alarm.name).toBe("notBreaching");
      expect(i["datapointsToAlarm"], alarm.name).toBeLessThanOrEqual(i["evaluationPeriods"]);
      if (i["extendedStatistic"]) {
        expect(i["evaluateLowSampleCountPercentiles"], alarm.name).toBe("evaluate");
        expect([i["period"], i["evaluationPeriods"], i["datapointsToAlarm"]], alarm.name).toEqual([300, 3, 2]);
      } else {
        expect([i["period"], i["evaluationPeriods"], i["datapointsToAlarm"]], alarm.name).toEqual([300, 1, 1]);
      }
    }
  });

  it("names each alarm after the stack and what it watches, and says why in its description", () => {
    const names = run.ofType(T.alarm).map((a) => a.inputs["name"]);
    expect(names).toContain(`${PREFIX}-crm-errors`);
    expect(names).toContain(`${PREFIX}-api-5xx`);
    expect(names).toContain(`${PREFIX}-routing-latency-p99`);
    expect(new Set(names).size).toBe(names.length);
    for (const alarm of run.ofType(T.alarm)) {
      expect(alarm.inputs["alarmDescription"], alarm.name).toMatch(/^Frontline \S+ \(.+\): .{40,}/);
    }
  });

  it("puts the topic, subscription, alarms and dashboard inside the monitoring component, under the stack's", () => {
    const monitoring = run.one(T.monitoring);
    expect(monitoring.parent).toBe(run.one("frontline:index:FrontlineStack").urn);
    for (const r of [run.one(T.topic), run.one(T.subscription), run.one(T.dashboard), ...run.ofType(T.alarm)]) {
      expect(r.parent, `${r.type} ${r.name}`).toBe(monitoring.urn);
    }
  });
});

describe("without alarmEmail", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({ ...baseConfig(), [`${PROJECT}:latencyAlarmMs`]: "2000" });
  });

  it("creates no topic; the alarms still exist and show on the dashboard, notifying no one", () => {
    expect(run.ofType(T.topic)).toHaveLength(0);
    expect(run.ofType(T.subscription)).toHaveLength(0);
    expect(run.ofType(T.alarm)).toHaveLength(CALLBACKS.length * 3 + 2);
    for (const alarm of run.ofType(T.alarm)) {
      expect(alarm.inputs["alarmActions"], alarm.name).toEqual([]);
      expect(alarm.inputs["okActions"], alarm.name).toEqual([]);
    }
  });

  it("raises the latency alarms at latencyAlarmMs", () => {
    const latency = run.ofType(T.alarm).filter((a) => a.inputs["extendedStatistic"] === "p99");
    expect(latency).toHaveLength(CALLBACKS.length + 1);
    for (const alarm of latency) expect(alarm.inputs["threshold"], alarm.name).toBe(2000);
  });
});

describe("the dashboard", () => {
  let run: ProgramRun;
  let widgets: Array<{ type: string; properties: Record<string, any> }>;
  beforeAll(async () => {
    run = await runProgram(baseConfig());
    widgets = JSON.parse(run.one(T.dashboard).inputs["dashboardBody"]).widgets;
  });

  /** Every metric line of every graph as "namespace metric dimension=value stat". */
  const lines = () =>
    widgets
      .filter((w) => w.type === "metric")
      .flatMap((w) => w.properties["metrics"] as any[][])
      .map(([ns, metric, dim, value, opts]) => `${ns} ${metric} ${dim}=${value} ${opts.stat}`);

  it("is one per stack, named after it, and exported as a console URL", () => {
    expect(run.one(T.dashboard).inputs["dashboardName"]).toBe(PREFIX);
    expect(run.outputs["dashboardUrl"]).toBe(
      `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/${PREFIX}`,
    );
  });

  it("shows invocations, errors, throttles and p50/p99 duration for each callback", () => {
    for (const spec of CALLBACKS) {
      const fn = run.one(T.fn, spec.name).state["name"];
      for (const metric of ["Invocations Sum", "Errors Sum", "Throttles Sum", "Duration p50", "Duration p99"]) {
        const [name, stat] = metric.split(" ");
        expect(lines(), `${spec.name} ${metric}`).toContain(`AWS/Lambda ${name} FunctionName=${fn} ${stat}`);
      }
      expect(
        widgets.some((w) => w.properties["title"] === `${spec.name}: duration (ms)`),
        spec.name,
      ).toBe(true);
    }
  });

  it("shows the API's requests, 4xx, 5xx and p50/p99 latency", () => {
    for (const metric of ["Count Sum", "4xx Sum", "5xx Sum", "Latency p50", "Latency p99"]) {
      const [name, stat] = metric.split(" ");
      expect(lines(), metric).toContain(`AWS/ApiGateway ${name} ApiId=${API_ID} ${stat}`);
    }
  });

  it("draws the latency alarm and Frontline's limit on every latency graph, and lists every alarm", () => {
    const latencyGraphs = widgets.filter((w) => /(duration|latency) \(ms\)$/.test(w.properties["title"] ?? ""));
    expect(latencyGraphs).toHaveLength(CALLBACKS.length + 1);
    for (const w of latencyGraphs) {
      expect(w.properties["annotations"]["horizontal"].map((a: { value: number }) => a.value)).toEqual([3000, 7000]);
    }
    const alarmWidget = widgets.find((w) => w.type === "alarm");
    expect(alarmWidget?.properties["alarms"].sort()).toEqual(
      run
        .ofType(T.alarm)
        .map((a) => a.state["arn"])
        .sort(),
    );
  });

  it("names the stack's region in every graph (CloudWatch requires it)", () => {
    for (const w of widgets.filter((w) => w.type === "metric")) expect(w.properties["region"]).toBe(REGION);
  });
});

describe("alarm policies", () => {
  it("give every alarm a reason, and keep the latency alarm below the callers' limits", () => {
    const { perCallback, api } = alarmPolicies(3000);
    for (const policy of [...perCallback, ...api]) expect(policy.why.length, policy.kind).toBeGreaterThan(60);
    expect(perCallback.map((p) => p.kind)).toEqual(["errors", "throttles", "latency-p99"]);
    expect(api.map((p) => p.kind)).toEqual(["5xx", "latency-p99"]);
  });
});
