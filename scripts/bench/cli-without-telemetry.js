// The same host CLI without the package: the same work, and it never imports telemetry.
import { runWork } from "./cli-work.js";

runWork(() => undefined);
