import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat incoming webhook (Slack/Matrix style) on loopback: keeps each JSON body it is posted. */
export async function startChatReceiver(): Promise<{ url: string; posts: { text: string }[]; close(): Promise<void> }> {
  const posts: { text: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      posts.push(JSON.parse(body) as { text: string });
      res.statusCode = 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/team`;
  return {
    url,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
