import type { BuildOptions, BuildResult } from "esbuild";
import type { CallbackName } from "../contract/callbacks.js";

export type CallbackBundleName = CallbackName;
export declare const CALLBACKS: readonly CallbackBundleName[];
export declare const ROOT: string;
export declare function lambdaEntrySource(callback: CallbackBundleName): string;
export declare function lambdaBuildOptions(callback: CallbackBundleName): BuildOptions;
export interface LambdaBundle {
  callback: CallbackBundleName;
  code: Buffer;
  sha256: string;
}
export declare function buildLambdaBundles(options?: { write?: boolean }): Promise<LambdaBundle[]>;
export declare function devServerBuildOptions(): BuildOptions;
export declare function buildDevServer(): Promise<BuildResult<{ metafile: true }>>;
