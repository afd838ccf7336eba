/**
 * Where the start-up time goes: each step's milliseconds, logged once the server is ready, with
 * the time since the process began (module loading included) and the CPU time it took, so a slow
 * start names its step.
 */
export class StartTimings {
  private readonly steps: Record<string, number> = {};
  // From the process's start: the first step is the loading of the modules.
  private last = 0;

  /** Records the time since the previous step (the first: since the process started) under `step`. */
  step(step: string): void {
    const now = performance.now();
    this.steps[step] = Math.round(now - this.last);
    this.last = now;
  }

  /** The steps so far and the milliseconds since the process started. */
  summary(): { steps: Record<string, number>; sinceProcessStartMs: number; cpuMs: number } {
    const cpu = process.cpuUsage();
    return {
      steps: { ...this.steps },
      sinceProcessStartMs: Math.round(performance.now()),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    };
  }
}
