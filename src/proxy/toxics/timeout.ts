// The timeout toxic: drops all data; closes the link after `timeout` ms without input (0 = hang); removal closes the
// link.
import { EOF } from '../link/channel.ts';
import { INTERRUPTED, TIMED_OUT } from '../link/toxic-stub.ts';
import type { ToxicKind } from './toxic-kind.ts';

export const timeout: ToxicKind = {
  type: 'timeout',
  goStruct: 'TimeoutToxic',
  attributes: [{ name: 'timeout', goType: 'int64' }],
  async pipe(stub, attributes) {
    const timeoutMs = attributes.timeout ?? 0;
    for (;;) {
      const item = await stub.read(timeoutMs > 0 ? timeoutMs : undefined);
      if (item === INTERRUPTED) return;
      if (item === EOF || item === TIMED_OUT) {
        stub.close();
        return;
      }
      stub.drop(item.data.length);
    }
  },
  cleanup(stub) {
    stub.close();
  },
};
