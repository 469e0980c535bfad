// A local HTTP server that plays the group robots' webhook endpoints as the real services check them:
// DingTalk (/dingtalk/robot/send?access_token=…&timestamp=…&sign=…: the sign is base64 HMAC-SHA256 of
// "timestamp\nsecret" keyed by the secret, timestamp in ms within an hour; errcode 310000 when wrong),
// WeCom (/wecom/cgi-bin/webhook/send?key=…, markdown.content), Feishu (/feishu/open-apis/bot/v2/hook/…,
// timestamp + sign in the body: HMAC-SHA256 keyed by "timestamp\nsecret" over nothing, seconds;
// code 19021 when wrong). Each robot takes 20 messages a minute and answers the service's "too fast"
// code beyond. A message counts as delivered only when its answer was written: a sender that dies
// before reading the answer leaves it undelivered (the robot "commits" on answering).
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RobotMessage {
  robot: string;
  kind: 'dingtalk' | 'wecom' | 'feishu';
  text: string;
  title: string;
  atMobiles: string[];
  at: number;
}

export interface RobotServer {
  url: string;
  /** Accepted, answered messages, in order. */
  messages: RobotMessage[];
  /** Requests refused, with the reason code. */
  refusals: { robot: string; code: number }[];
  /** Messages whose sender went away before the answer (not delivered). */
  abandoned: () => number;
  /** The user agents of the requests received and not yet answered. */
  inFlight: () => string[];
  /** Hold each answer this long (to kill a sender mid-delivery). */
  setDelay(ms: number): void;
  /** The clock the robots check timestamps against and count minutes by. */
  setClock(now: () => number): void;
  close(): Promise<void>;
}

export const ROBOT_SECRET = 'SECtest-robot-secret-0123456789';

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

export async function startRobotServer(): Promise<RobotServer> {
  const messages: RobotMessage[] = [];
  const refusals: { robot: string; code: number }[] = [];
  const sentAt = new Map<string, number[]>();
  let delay = 0;
  let abandoned = 0;
  const pending = new Set<IncomingMessage>();
  let clock = () => Date.now();

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://robot');
    const raw = await read(req);
    const answer = (body: object) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return answer({ errcode: 300001, errmsg: 'invalid json' });
    }
    const kind = url.pathname.startsWith('/dingtalk')
      ? 'dingtalk'
      : url.pathname.startsWith('/wecom')
        ? 'wecom'
        : 'feishu';
    const robot =
      kind === 'dingtalk'
        ? String(url.searchParams.get('access_token'))
        : kind === 'wecom'
          ? String(url.searchParams.get('key'))
          : (url.pathname.split('/').pop() ?? '');
    const refuse = (code: number, msg: string) => {
      refusals.push({ robot, code });
      return answer(kind === 'feishu' ? { code, msg } : { errcode: code, errmsg: msg });
    };
    const now = clock();
    let text = '';
    let title = '';
    let atMobiles: string[] = [];
    if (kind === 'dingtalk') {
      const ts = Number(url.searchParams.get('timestamp'));
      const sign = url.searchParams.get('sign') ?? '';
      const expected = createHmac('sha256', ROBOT_SECRET).update(`${ts}\n${ROBOT_SECRET}`).digest('base64');
      if (!Number.isFinite(ts) || Math.abs(now - ts) > 3_600_000) return refuse(310000, 'timestamp invalid');
      if (sign !== expected) return refuse(310000, 'sign not match');
      const md = body.markdown as { title?: unknown; text?: unknown } | undefined;
      if (body.msgtype !== 'markdown' || typeof md?.title !== 'string' || typeof md?.text !== 'string')
        return refuse(40035, 'invalid msgtype');
      text = md.text;
      title = md.title;
      atMobiles = ((body.at as { atMobiles?: string[] } | undefined)?.atMobiles ?? []).map(String);
    } else if (kind === 'wecom') {
      const md = body.markdown as { content?: unknown } | undefined;
      if (body.msgtype !== 'markdown' || typeof md?.content !== 'string')
        return refuse(40008, 'invalid message type');
      if (Buffer.byteLength(md.content) > 4096) return refuse(40058, 'content exceed max length');
      text = md.content;
    } else {
      const ts = Number(body.timestamp);
      const expected = createHmac('sha256', `${ts}\n${ROBOT_SECRET}`).update('').digest('base64');
      if (!Number.isFinite(ts) || Math.abs(now / 1000 - ts) > 3600)
        return refuse(19021, 'sign match fail or timestamp is not within one hour from current time');
      if (body.sign !== expected)
        return refuse(19021, 'sign match fail or timestamp is not within one hour from current time');
      const card = body.card as
        | { header?: { title?: { content?: unknown } }; elements?: { tag?: unknown; content?: unknown }[] }
        | undefined;
      const el = card?.elements?.[0];
      if (body.msg_type !== 'interactive' || el?.tag !== 'markdown' || typeof el.content !== 'string')
        return refuse(9499, 'bad request');
      text = el.content;
      title = String(card?.header?.title?.content ?? '');
    }
    const recent = (sentAt.get(robot) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= 20) {
      sentAt.set(robot, recent);
      return refuse(kind === 'dingtalk' ? 130101 : kind === 'wecom' ? 45009 : 11232, 'send too fast');
    }
    recent.push(now);
    sentAt.set(robot, recent);
    const message: RobotMessage = { robot, kind, text, title, atMobiles, at: now };
    pending.add(req);
    const finish = () => {
      pending.delete(req);
      if (res.destroyed || req.socket.destroyed) {
        // The sender is gone before the answer: not delivered, and its slot of the minute is given back.
        const i = recent.indexOf(now);
        if (i >= 0) recent.splice(i, 1);
        abandoned++;
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(kind === 'feishu' ? { code: 0, msg: 'success' } : { errcode: 0, errmsg: 'ok' }),
        () => messages.push(message),
      );
    };
    if (delay > 0) setTimeout(finish, delay);
    else finish();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    refusals,
    abandoned: () => abandoned,
    inFlight: () => [...pending].map((r) => String(r.headers['user-agent'] ?? '')),
    setDelay: (ms) => {
      delay = ms;
    },
    setClock: (now) => {
      clock = now;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const dingtalkUrl = (base: string, token: string) =>
  `${base}/dingtalk/robot/send?access_token=${token}`;
export const wecomUrl = (base: string, key: string) => `${base}/wecom/cgi-bin/webhook/send?key=${key}`;
export const feishuUrl = (base: string, hook: string) => `${base}/feishu/open-apis/bot/v2/hook/${hook}`;
