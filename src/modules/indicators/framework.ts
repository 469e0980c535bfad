// The work framework (工作体系): programs at the roots, tasks below them (any depth), indicators under
// tasks. A program is exactly a root node; an indicator's program is the root above its task.
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError, alreadyTaken, inUse } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { FrameworkNodesTable } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId } from '../../platform/ids.ts';
import type { FrameworkNodeView } from './schemas.ts';

type NodeRow = FrameworkNodesTable;

/** A validation error whose detail is a sentence in the caller's language. */
const invalid = (ctx: Pick<Ctx, 'locale'>, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', { detail: translator(ctx.locale)(`indicators:invalid.${key}`, params) });

const present = (n: NodeRow): FrameworkNodeView => ({
  id: n.id,
  parentId: n.parent_id,
  code: n.code,
  name: n.name,
  kind: n.kind as FrameworkNodeView['kind'],
  sort: n.sort,
});

/** The whole tree as lookups (no authorization: for services that already authorized). */
export interface FrameworkTree {
  nodes: Map<string, FrameworkNodeView>;
  /** node id → id of its root (the program); a root maps to itself. */
  programOf: Map<string, string>;
}

export async function loadFramework(ctx: Pick<Ctx, 'db'>): Promise<FrameworkTree> {
  const rows = await ctx.db.selectFrom('framework_nodes').selectAll().execute();
  const nodes = new Map(rows.map((r) => [r.id, present(r)]));
  const programOf = new Map<string, string>();
  const rootOf = (id: string): string => {
    const known = programOf.get(id);
    if (known) return known;
    const seen = new Set<string>();
    let cur = nodes.get(id);
    while (cur?.parentId && nodes.has(cur.parentId) && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = nodes.get(cur.parentId);
    }
    const root = cur?.id ?? id;
    programOf.set(id, root);
    return root;
  };
  for (const id of nodes.keys()) rootOf(id);
  return { nodes, programOf };
}

/** The ids of a node and every node below it. */
export function subtreeIds(tree: FrameworkTree, rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const n of tree.nodes.values()) {
    if (!n.parentId) continue;
    const list = children.get(n.parentId) ?? [];
    list.push(n.id);
    children.set(n.parentId, list);
  }
  const out = new Set<string>([rootId]);
  const stack = [rootId];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (!out.has(c)) {
        out.add(c);
        stack.push(c);
      }
    }
  }
  return out;
}

export async function listFramework(ctx: Ctx): Promise<FrameworkNodeView[]> {
  requireUser(ctx.actor);
  const rows = await ctx.db
    .selectFrom('framework_nodes')
    .selectAll()
    .orderBy('sort')
    .orderBy('code')
    .execute();
  return rows.map(present);
}

async function loadNode(ctx: Ctx, id: string): Promise<NodeRow> {
  const n = await ctx.db.selectFrom('framework_nodes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!n) throw new AppError('not_found', { what: 'framework_node' });
  return n;
}

async function assertCodeFree(ctx: Ctx, code: string, exceptId?: string): Promise<void> {
  let q = ctx.db.selectFrom('framework_nodes').select('id').where('code', '=', code);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw alreadyTaken('code', code);
}

/** Programs are the roots and only the roots: the dashboards group by them. */
function assertShape(ctx: Ctx, kind: string, parentId: string | null): void {
  if (kind === 'program' && parentId !== null) throw invalid(ctx, 'programHasParent');
  if (kind === 'task' && parentId === null) throw invalid(ctx, 'taskNeedsParent');
}

export async function createFrameworkNode(
  ctx: Ctx,
  input: { parentId: string | null; code: string; name: string; kind: 'program' | 'task'; sort: number },
): Promise<FrameworkNodeView> {
  requireOrganizer(ctx.actor);
  assertShape(ctx, input.kind, input.parentId);
  if (input.parentId) await loadNode(ctx, input.parentId);
  await assertCodeFree(ctx, input.code);
  const row: NodeRow = {
    id: newId(),
    parent_id: input.parentId,
    code: input.code,
    name: input.name,
    kind: input.kind,
    sort: input.sort,
    created_at: nowIso(ctx),
  };
  await ctx.db.insertInto('framework_nodes').values(row).execute();
  await audit(ctx, { action: 'framework.created', target: row.name, after: present(row) });
  return present(row);
}

export async function updateFrameworkNode(
  ctx: Ctx,
  id: string,
  patch: {
    parentId?: string | null | undefined;
    code?: string | undefined;
    name?: string | undefined;
    sort?: number | undefined;
  },
): Promise<FrameworkNodeView> {
  requireOrganizer(ctx.actor);
  const n = await loadNode(ctx, id);
  const next: NodeRow = {
    ...n,
    parent_id: patch.parentId !== undefined ? patch.parentId : n.parent_id,
    code: patch.code ?? n.code,
    name: patch.name ?? n.name,
    sort: patch.sort ?? n.sort,
  };
  assertShape(ctx, next.kind, next.parent_id);
  if (next.parent_id !== n.parent_id && next.parent_id !== null) {
    await loadNode(ctx, next.parent_id);
    // Moving a node under itself or one of its descendants would cut the subtree off the tree.
    if (subtreeIds(await loadFramework(ctx), id).has(next.parent_id)) throw invalid(ctx, 'moveUnderItself');
  }
  if (next.code !== n.code) await assertCodeFree(ctx, next.code, id);
  await ctx.db
    .updateTable('framework_nodes')
    .set({ parent_id: next.parent_id, code: next.code, name: next.name, sort: next.sort })
    .where('id', '=', id)
    .execute();
  await audit(ctx, { action: 'framework.updated', target: n.name, before: present(n), after: present(next) });
  return present(next);
}

/** Refused while the node has children or indicators: nothing is deleted by surprise. */
export async function deleteFrameworkNode(ctx: Ctx, id: string): Promise<void> {
  requireOrganizer(ctx.actor);
  const n = await loadNode(ctx, id);
  const child = await ctx.db
    .selectFrom('framework_nodes')
    .select('id')
    .where('parent_id', '=', id)
    .executeTakeFirst();
  const indicator = await ctx.db
    .selectFrom('indicators')
    .select('id')
    .where('node_id', '=', id)
    .executeTakeFirst();
  if (child || indicator) throw inUse(n.name, child ? 'children' : 'indicators');
  await ctx.db.deleteFrom('framework_nodes').where('id', '=', id).execute();
  await audit(ctx, { action: 'framework.deleted', target: n.name, before: present(n) });
}
