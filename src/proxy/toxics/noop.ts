// The noop toxic: passes every chunk through unchanged; also what runs when toxicity says a toxic skips a link.
import { EOF } from '../link/channel.ts';
import { INTERRUPTED, TIMED_OUT, type ToxicStub } from '../link/toxic-stub.ts';
import type { ToxicKind } from './toxic-kind.ts';

export async function noopPipe(stub: ToxicStub): Promise<void> {
  for (;;) {
    const item = await stub.read();
    if (item === INTERRUPTED || item === TIMED_OUT) return;
    if (item === EOF) {
      stub.close();
      return;
    }
    stub.send(item);
  }
}

export const noop: ToxicKind = {
  type: 'noop',
  goStruct: 'NoopToxic',
  attributes: [],
  pipe: (stub) => noopPipe(stub),
};
