// The callback list is part of the contract the functions share (contract/callbacks.ts).
export {
  CALLBACKS,
  type CallbackName,
  type CallbackSpec,
  type CallbackUrlKey,
  callbackSpec,
  type Setting,
  type TableRead,
} from "../contract/callbacks.js";
