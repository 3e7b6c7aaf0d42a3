import * as pulumi from "@pulumi/pulumi";

/**
 * Options for a resource created inside a component. Every resource used to sit at the stack's root
 * under the same name, so the alias lets a stack deployed before the components update in place
 * instead of replacing the table and the functions.
 */
export function childOf<T extends pulumi.CustomResourceOptions>(parent: pulumi.Resource, opts?: T): T {
  return { ...opts, parent, aliases: [...(opts?.aliases ?? []), { parent: pulumi.rootStackResource }] } as T;
}
