// The limit_data toxic: lets exactly `bytes` bytes through per link, then closes it; the count survives updates.
import { EOF } from '../link/channel.ts';
import { INTERRUPTED, TIMED_OUT } from '../link/toxic-stub.ts';
import type { ToxicKind } from './toxic-kind.ts';

interface LimitDataState {
  bytesTransmitted: number;
}

export const limitData: ToxicKind = {
  type: 'limit_data',
  goStruct: 'LimitDataToxic',
  attributes: [{ name: 'bytes', goType: 'int64' }],
  newState: (): LimitDataState => ({ bytesTransmitted: 0 }),
  async pipe(stub, attributes) {
    const limitBytes = attributes.bytes ?? 0;
    const state = stub.state as LimitDataState;
    for (;;) {
      const item = await stub.read();
      if (item === INTERRUPTED || item === TIMED_OUT) return;
      if (item === EOF) {
        stub.close();
        return;
      }
      const remainingBytes = Math.max(0, limitBytes - state.bytesTransmitted);
      let data = item.data;
      if (data.length > remainingBytes) {
        stub.drop(data.length - remainingBytes);
        data = data.subarray(0, remainingBytes);
      }
      if (data.length > 0) {
        stub.send({ data, timestampMs: item.timestampMs });
        state.bytesTransmitted += data.length;
      }
      if (limitBytes - state.bytesTransmitted <= 0) {
        stub.close();
        return;
      }
    }
  },
};
