// The callback list is part of the contract the functions share (contract/callbacks.ts).
export {
  CALLBACKS,
  type CallbackSpec,
  type CallbackUrlKey,
  type Setting,
  type TableRead,
} from "../contract/callbacks.js";
