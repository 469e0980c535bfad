// The group robots people read their work in: DingTalk custom robots (浙政钉 speaks the same), WeCom
// group robots and Feishu (Lark) custom bots. What a request to each looks like, how it is signed,
// and what its answer means. Pure (node:crypto only): the caller sends the request and passes the time.
import { createHmac } from 'node:crypto';

export const CHANNEL_KINDS = ['dingtalk', 'wecom', 'feishu'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Robots accept about 20 messages a minute each; more are refused with a "too fast" code. */
export const ROBOT_MESSAGES_PER_MINUTE = 20;

export interface RobotMessage {
  title: string;
  /** Markdown, zh-CN; the link back into the product is already in it. */
  markdown: string;
  /** Whom to @: mobile numbers (DingTalk) and the channel's user ids (WeCom userid, Feishu open_id). */
  mentionMobiles: string[];
  mentionIds: string[];
}

export interface RobotRequest {
  url: string;
  body: string;
}

/** DingTalk: base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)), timestamp in ms. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** Feishu: base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)), timestamp in seconds. */
export function feishuSign(secret: string, timestampSec: number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

/** The HTTP request that posts `message` to a robot at `webhook`, signed at `nowMs` when a secret is set. */
export function robotRequest(
  kind: ChannelKind,
  webhook: string,
  secret: string | null,
  message: RobotMessage,
  nowMs: number,
): RobotRequest {
  if (kind === 'dingtalk') {
    const url = new URL(webhook);
    if (secret) {
      url.searchParams.set('timestamp', String(nowMs));
      url.searchParams.set('sign', dingtalkSign(secret, nowMs));
    }
    const ats = message.mentionMobiles.map((m) => `@${m}`).join(' ');
    return {
      url: url.toString(),
      body: JSON.stringify({
        msgtype: 'markdown',
        markdown: { title: message.title, text: ats ? `${message.markdown}\n\n${ats}` : message.markdown },
        at: { atMobiles: message.mentionMobiles, isAtAll: false },
      }),
    };
  }
  if (kind === 'wecom') {
    const ats = message.mentionIds.map((id) => `<@${id}>`).join(' ');
    return {
      url: webhook,
      body: JSON.stringify({
        msgtype: 'markdown',
        markdown: { content: ats ? `${message.markdown}\n${ats}` : message.markdown },
      }),
    };
  }
  const ats = message.mentionIds.map((id) => `<at id=${id}></at>`).join(' ');
  const timestamp = Math.floor(nowMs / 1000);
  return {
    url: webhook,
    body: JSON.stringify({
      ...(secret ? { timestamp: String(timestamp), sign: feishuSign(secret, timestamp) } : {}),
      msg_type: 'interactive',
      card: {
        header: { title: { tag: 'plain_text', content: message.title } },
        elements: [{ tag: 'markdown', content: ats ? `${message.markdown}\n${ats}` : message.markdown }],
      },
    }),
  };
}

export type RobotOutcome =
  | { kind: 'sent' }
  /** Too many messages: try again after a minute, not counted as a failure. */
  | { kind: 'rate_limited' }
  | { kind: 'failed'; error: string };

// The robots' "too fast" codes: DingTalk 130101, WeCom 45009, Feishu 11232 (also answered as HTTP 429).
const RATE_LIMIT_CODES = new Set([130101, 45009, 11232]);

/** What a robot's answer means. They answer HTTP 200 with an error code in the body for most refusals. */
export function robotOutcome(status: number, text: string): RobotOutcome {
  if (status === 429) return { kind: 'rate_limited' };
  let code: number | null = null;
  let msg = '';
  try {
    const body = JSON.parse(text) as { errcode?: unknown; code?: unknown; errmsg?: unknown; msg?: unknown };
    const c = body.errcode ?? body.code;
    code = typeof c === 'number' ? c : null;
    msg = String(body.errmsg ?? body.msg ?? '');
  } catch {
    // not JSON: judged by the status alone
  }
  if (code !== null && RATE_LIMIT_CODES.has(code)) return { kind: 'rate_limited' };
  if (status >= 200 && status < 300 && code === 0) return { kind: 'sent' };
  return {
    kind: 'failed',
    error: `HTTP ${status}${code !== null ? ` code ${code}` : ''}${msg ? `: ${msg}` : ''}`.slice(0, 300),
  };
}

/** Waits between attempts: 30 s, 1 min, 2 min, … up to an hour; after `MAX_ATTEMPTS` a delivery is given up. */
export const MAX_ATTEMPTS = 8;
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/** Quiet hours "HH:MM"–"HH:MM" in the government's time zone (may wrap past midnight). */
export interface QuietHours {
  from: string;
  to: string;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The earliest instant ≥ nowMs outside the quiet hours. */
export function afterQuietHours(nowMs: number, quiet: QuietHours | null, offsetMinutes = 480): number {
  if (!quiet || quiet.from === quiet.to) return nowMs;
  const local = nowMs + offsetMinutes * 60_000;
  const minute = Math.floor((local % 86_400_000) / 60_000);
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return nowMs;
  const dayStart = local - (local % 86_400_000);
  const end = dayStart + to * 60_000 + (from > to && minute >= from ? 86_400_000 : 0);
  return end - offsetMinutes * 60_000;
}
