import type { BenchFleet } from './bench-fleet';
import { memoryOf } from './measure';
import type { MemoryPeak } from './scenario';

/** Peak RSS (VmHWM) of the master and every ship process of a fleet, read while they run. */
export function fleetMemory(fleet: BenchFleet): MemoryPeak[] {
  const peaks: MemoryPeak[] = [];
  const master = memoryOf(fleet.master.pid);
  if (master) peaks.push({ node: 'master', role: 'master', peakMb: master.peakMb });
  for (const [name, ship] of Object.entries(fleet.ships)) {
    const mem = memoryOf(ship.pid);
    if (mem) peaks.push({ node: name, role: 'ship', peakMb: mem.peakMb });
  }
  return peaks;
}
