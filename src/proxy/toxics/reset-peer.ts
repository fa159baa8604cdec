// The reset_peer toxic: on the first chunk (or EOF) it discards it, waits `timeout` ms (not interruptible) and closes
// the link.
import { EOF } from '../link/channel.ts';
import { INTERRUPTED, TIMED_OUT } from '../link/toxic-stub.ts';
import type { ToxicKind } from './toxic-kind.ts';

export const resetPeer: ToxicKind = {
  type: 'reset_peer',
  goStruct: 'ResetToxic',
  attributes: [{ name: 'timeout', goType: 'int64' }],
  async pipe(stub, attributes) {
    const timeoutMs = attributes.timeout ?? 0;
    const item = await stub.read();
    if (item === INTERRUPTED || item === TIMED_OUT) return;
    if (item !== EOF) stub.drop(item.data.length);
    // Connections accepted while this toxic existed have SO_LINGER 0 (see Connection), so this close is an RST.
    await stub.sleep(timeoutMs, true);
    stub.close();
  },
};
