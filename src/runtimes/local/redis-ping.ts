// Sends one inline command to Redis over a raw socket: PING for readiness, SHUTDOWN NOSAVE to stop, without a client
// library.
import { connect } from 'node:net';

export function rawRedisCommand(port: number, command: string, timeoutMs = 500, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${command} within ${timeoutMs}ms`));
    }, timeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(reply.trimEnd());
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(reply.trimEnd());
    });
  });
}

export async function redisAnswersPing(port: number): Promise<boolean> {
  return (await rawRedisCommand(port, 'PING', 200)) === '+PONG';
}
