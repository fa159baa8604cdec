// The slow_close toxic: data passes unchanged; when the sending side closes, the close is held `delay` ms.
import { EOF } from '../link/channel.ts';
import { INTERRUPTED, TIMED_OUT } from '../link/toxic-stub.ts';
import type { ToxicKind } from './toxic-kind.ts';

export const slowClose: ToxicKind = {
  type: 'slow_close',
  goStruct: 'SlowCloseToxic',
  attributes: [{ name: 'delay', goType: 'int64' }],
  async pipe(stub, attributes) {
    const delayMs = attributes.delay ?? 0;
    for (;;) {
      const item = await stub.read();
      if (item === INTERRUPTED || item === TIMED_OUT) return;
      if (item === EOF) {
        // Interrupted while holding the close: return without closing; the EOF is sticky, so a restart waits again.
        if (await stub.sleep(delayMs)) stub.close();
        return;
      }
      stub.send(item);
    }
  },
};
