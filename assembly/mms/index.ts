// WASM module "mms": WSP primitives, WSP push, multipart and MMS encapsulation.
export {
  reserve, inputPtr, inputCap, tablePtr, tableCap, outputPtr, outputCap, tableRows, outLength,
} from "../io";
export { wspUintvarDecode, wspUintvarEncode, wspPushDecode, wspMultipartDecode } from "../wsp/exports";
export { mmsDecode } from "./decode";
export { codecEncode } from "./encode";
