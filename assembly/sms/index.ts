// WASM module "sms": SMS TPDUs, GSM 7-bit / UCS-2 text, UDH.
export {
  reserve, inputPtr, inputCap, tablePtr, tableCap, outputPtr, outputCap, tableRows, outLength,
} from "../io";
