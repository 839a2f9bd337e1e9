import { promises as fs } from "node:fs";
import { invalidArgument, notFound } from "../../../lib/errors.js";
import type { Volume } from "../../kube/types.js";
import { writeAtomically } from "./atomic-writer.js";
import { downwardApiPayload } from "./downward-api.js";
import { configMapEntries, keyedPayload, secretEntries } from "./keyed-payload.js";
import { memoryVolumeSize } from "./memory-volume-size.js";
import type { Payload } from "./payload.js";
import { ensureTmpfs } from "./tmpfs.js";
import type { VolumeContext } from "./volume-context.js";

// configMap, secret and downwardAPI volumes: files computed from an object, (re)written with the
// atomic writer on every set-up so a changed object reaches running pods without a torn read.

const volumeDirMode = 0o755;

export async function setUpConfigMapVolume(
  dir: string,
  source: NonNullable<Volume["configMap"]>,
  ctx: VolumeContext,
): Promise<void> {
  const field = `${ctx.field}.configMap`;
  const name = requireName(source.name, `${field}.name`);
  const cm = await ctx.lookup.configMap(ctx.namespace, name);
  if (!cm && !source.optional) {
    throw notFound(`configmap "${name}" not found`, { field: `${field}.name` });
  }
  const payload = cm
    ? keyedPayload(configMapEntries(cm, field), source, field, "configMap")
    : new Map();
  await makeVolumeDir(dir);
  await write(dir, payload, ctx);
}

/** Secrets go on a tmpfs mounted before anything is written, so their bytes never reach a disk. */
export async function setUpSecretVolume(
  dir: string,
  source: NonNullable<Volume["secret"]>,
  ctx: VolumeContext,
): Promise<void> {
  const field = `${ctx.field}.secret`;
  const name = requireName(source.secretName, `${field}.secretName`);
  const secret = await ctx.lookup.secret(ctx.namespace, name);
  if (!secret && !source.optional) {
    throw notFound(`secret "${name}" not found`, { field: `${field}.secretName` });
  }
  const payload = secret
    ? keyedPayload(secretEntries(secret, field), source, field, "secret")
    : new Map();
  const sizeBytes = memoryVolumeSize(ctx.pod, undefined, ctx.nodeAllocatableMemory, field);
  await ensureTmpfs(dir, { mode: volumeDirMode, sizeBytes }, ctx.logger);
  await write(dir, payload, ctx);
}

export async function setUpDownwardApiVolume(
  dir: string,
  source: NonNullable<Volume["downwardAPI"]>,
  ctx: VolumeContext,
): Promise<void> {
  const field = `${ctx.field}.downwardAPI`;
  const payload = await downwardApiPayload(ctx.pod, source, field, ctx.resourceValue);
  await makeVolumeDir(dir);
  await write(dir, payload, ctx);
}

/** The volume root, readable and searchable by any user whatever the agent's umask. */
async function makeVolumeDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.chmod(dir, volumeDirMode);
}

async function write(dir: string, payload: Payload, ctx: VolumeContext): Promise<void> {
  if (await writeAtomically(dir, payload, { gid: ctx.gid })) {
    ctx.logger.debug("wrote volume contents", { path: dir, files: payload.size });
  }
}

function requireName(name: unknown, field: string): string {
  if (typeof name !== "string" || name === "") {
    throw invalidArgument("the object name is required", { field });
  }
  return name;
}
