/**
 * An in-process stand-in for the engine's steps over one dynamic resource: the provider calls that
 * `pulumi up`, `pulumi refresh` and `pulumi destroy` make, in the engine's order, without gRPC or
 * serialization (test/support/provider-host.ts covers those).
 */
import type * as pulumi from "@pulumi/pulumi";

export interface ResourceState {
  id: string;
  inputs: Record<string, unknown>;
  outs: Record<string, unknown>;
}

export type Step = "create" | "update" | "replace" | "same";

type Provider = pulumi.dynamic.ResourceProvider;

/** check, then create (no state), or diff and update / replace / nothing. */
export async function up(
  provider: Provider,
  args: Record<string, unknown>,
  state?: ResourceState,
): Promise<{ state: ResourceState; step: Step }> {
  const checked = provider.check ? await provider.check(state?.inputs ?? {}, args) : { inputs: args };
  if (checked.failures?.length) {
    throw new Error(`check failed: ${checked.failures.map((f) => f.reason).join("; ")}`);
  }
  const inputs = checked.inputs ?? args;
  const create = async (): Promise<ResourceState> => {
    const created = await provider.create(inputs);
    return { id: created.id, inputs, outs: created.outs ?? {} };
  };
  if (!state) return { state: await create(), step: "create" };
  const diff = provider.diff ? await provider.diff(state.id, state.outs, inputs) : { changes: true };
  if (diff.changes === false) return { state: { ...state, inputs }, step: "same" };
  if (diff.replaces?.length) {
    if (diff.deleteBeforeReplace) {
      await provider.delete?.(state.id, state.outs);
      return { state: await create(), step: "replace" };
    }
    const replacement = await create();
    await provider.delete?.(state.id, state.outs);
    return { state: replacement, step: "replace" };
  }
  const updated = provider.update ? await provider.update(state.id, state.outs, inputs) : { outs: inputs };
  return { state: { id: state.id, inputs, outs: updated.outs ?? {} }, step: "update" };
}

/** `pulumi refresh`: the live state, or undefined when the resource is gone. */
export async function refresh(provider: Provider, state: ResourceState): Promise<ResourceState | undefined> {
  if (!provider.read) return state;
  const read = await provider.read(state.id, state.outs);
  if (!read.id) return undefined;
  return {
    id: read.id,
    inputs: (read.inputs as Record<string, unknown> | undefined) ?? state.inputs,
    outs: read.props ?? {},
  };
}

export async function destroy(provider: Provider, state: ResourceState): Promise<void> {
  await provider.delete?.(state.id, state.outs);
}

/** A provider instance configured the way the host does it, right after deserialization. */
export async function configured<P extends Provider>(provider: P, config: pulumi.dynamic.Config): Promise<P> {
  await provider.configure?.({ config });
  return provider;
}
