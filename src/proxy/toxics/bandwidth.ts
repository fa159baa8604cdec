// The bandwidth toxic: caps a link at `rate` KB/s (1 KB = 1000 bytes), in pieces of at most 100 ms worth of bytes.
import { EOF } from '../link/channel.ts';
import { INTERRUPTED, TIMED_OUT } from '../link/toxic-stub.ts';
import type { ToxicKind } from './toxic-kind.ts';

const sliceIntervalMs = 100;

export const bandwidth: ToxicKind = {
  type: 'bandwidth',
  goStruct: 'BandwidthToxic',
  attributes: [{ name: 'rate', goType: 'int64' }],
  validate(attributes) {
    const rateKBps = attributes.rate ?? 0;
    if (rateKBps < 0) {
      return `bandwidth rate must be >= 0 KB/s (0 stalls the link), got ${rateKBps}: a negative rate crashes Toxiproxy, so it is refused`;
    }
    return undefined;
  },
  async pipe(stub, attributes) {
    const rateKBps = attributes.rate ?? 0;
    // rate KB/s = rate bytes per ms.
    const bytesPerMs = rateKBps;
    let sleepMs = 0;
    for (;;) {
      const item = await stub.read();
      if (item === INTERRUPTED || item === TIMED_OUT) return;
      if (item === EOF) {
        stub.close();
        return;
      }
      if (bytesPerMs <= 0) {
        // Rate 0 stalls the link, as in Toxiproxy; the chunk is delivered when the toxic is changed or removed.
        await stub.sleep(Number.MAX_SAFE_INTEGER);
        stub.send(item);
        if (stub.interrupted) return;
        continue;
      }
      sleepMs += item.data.length / bytesPerMs;
      const pieceBytes = bytesPerMs * sliceIntervalMs;
      let data = item.data;
      while (data.length > pieceBytes) {
        if (!(await stub.sleep(sliceIntervalMs))) {
          stub.send({ data, timestampMs: item.timestampMs });
          return;
        }
        stub.send({ data: data.subarray(0, pieceBytes), timestampMs: item.timestampMs });
        data = data.subarray(pieceBytes);
        sleepMs -= sliceIntervalMs;
      }
      const started = performance.now();
      const completed = sleepMs > 0 ? await stub.sleep(sleepMs) : true;
      // Timers are coarse: carry the error into the next sleep so the average rate stays exact.
      sleepMs -= performance.now() - started;
      stub.send({ data, timestampMs: item.timestampMs });
      if (!completed) return;
    }
  },
};
