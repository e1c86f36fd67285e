/** The machine a bench ran on, recorded beside its figures: a ratio means little without the load it was taken under. */
import * as os from "os";

export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly totalMemoryMb: number;
  /** 1, 5 and 15 minute load averages. */
  readonly load: readonly number[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    load: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryMb} MB, ${m.platform}, Node ${m.node}, load average ${m.load.join(" / ")}`;
}
