/** Frontline users (US…): fetch and update only; `{Sid}` may be the SID or the identity. */
import { notFound } from "../errors.js";
import { type HandlerContext, ok, type RouteDefinition } from "../router.js";
import type { FrontlineUser } from "../state.js";
import type { Store } from "../store.js";
import type { FrontlineUserSeed } from "../types.js";

export function createFrontlineUser(store: Store, seed: FrontlineUserSeed): FrontlineUser {
  if (Object.values(store.state.frontlineUsers).some((u) => u.identity === seed.identity))
    throw new Error(`Frontline user ${seed.identity} exists`);
  const user: FrontlineUser = {
    sid: store.sid("US"),
    identity: seed.identity,
    friendlyName: seed.friendlyName ?? null,
    avatar: seed.avatar ?? null,
    state: seed.state ?? "active",
    // The spec: "Defaults to `false` for new users."
    isAvailable: seed.isAvailable ?? false,
  };
  store.state.frontlineUsers[user.sid] = user;
  return user;
}

function find(ctx: HandlerContext): FrontlineUser {
  const key = ctx.params["Sid"]!;
  const users = ctx.store.state.frontlineUsers;
  const user = users[key] ?? Object.values(users).find((u) => u.identity === key);
  if (!user) throw notFound(ctx.path);
  return user;
}

function render(u: FrontlineUser): unknown {
  return {
    sid: u.sid,
    identity: u.identity,
    friendly_name: u.friendlyName,
    avatar: u.avatar,
    state: u.state,
    is_available: u.isAvailable,
    url: `https://frontline-api.twilio.com/v1/Users/${u.sid}`,
  };
}

export const frontlineRoutes: RouteDefinition[] = [
  { product: "frontline-api", method: "GET", template: "/v1/Users/{Sid}", handler: (ctx) => ok(render(find(ctx))) },
  {
    product: "frontline-api",
    method: "POST",
    template: "/v1/Users/{Sid}",
    handler: (ctx) => {
      const user = find(ctx);
      const f = ctx.form;
      const friendlyName = f.nullable("FriendlyName");
      if (friendlyName !== undefined) user.friendlyName = friendlyName;
      const avatar = f.nullable("Avatar");
      if (avatar !== undefined) user.avatar = avatar;
      const state = f.string("State");
      if (state) user.state = state;
      const isAvailable = f.bool("IsAvailable");
      if (isAvailable !== undefined) user.isAvailable = isAvailable;
      return ok(render(user));
    },
  },
];
