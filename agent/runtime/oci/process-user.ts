import { invalidArgument } from "../../../lib/errors.js";
import type { LinuxContainerSecurityContext__Output } from "../../../proto/gen/runtime/v1/LinuxContainerSecurityContext.js";
import type { UserDatabase } from "./etc-files.js";
import { posixId } from "./int64.js";
import type { OciUser } from "./oci-spec.js";

const scField = "config.linux.security_context";

/**
 * The process's uid, gid and groups, as containerd resolves them:
 * - the user is run_as_username, else run_as_user, else the image's USER ("uid", "uid:gid",
 *   "name", "name:group"), else root; run_as_group sets the group, and needs one of the first two;
 * - a uid absent from the image's /etc/passwd runs with gid 0; a name absent from it is an error;
 * - the groups are the primary gid, then (policy Merge) every /etc/group entry listing the user's
 *   name, then supplemental_groups.
 * Names are looked up only in the image (see readUserDatabase), never on the host.
 */
export function processUser(
  sc: LinuxContainerSecurityContext__Output | null | undefined,
  imageUser: string | undefined,
  db: UserDatabase,
): OciUser {
  const username = sc?.run_as_username ?? "";
  const runAsUser = sc?.run_as_user
    ? posixId(sc.run_as_user.value, `${scField}.run_as_user`)
    : undefined;
  const runAsGroup = sc?.run_as_group
    ? posixId(sc.run_as_group.value, `${scField}.run_as_group`)
    : undefined;
  if (runAsGroup !== undefined && username === "" && runAsUser === undefined) {
    throw invalidArgument(
      `${scField}.run_as_group: ${runAsGroup} is set without run_as_user or run_as_username`,
      { field: `${scField}.run_as_group` },
    );
  }

  let user: { text: string; field: string };
  let group: { text: string; field: string } | undefined;
  if (username !== "" || runAsUser !== undefined) {
    user =
      username !== ""
        ? { text: username, field: `${scField}.run_as_username` }
        : { text: String(runAsUser), field: `${scField}.run_as_user` };
    if (runAsGroup !== undefined)
      group = { text: String(runAsGroup), field: `${scField}.run_as_group` };
  } else {
    const spec = (imageUser ?? "").trim();
    const parts = spec === "" ? ["0"] : spec.split(":");
    const field = "image.config.User";
    if (parts.length > 2 || parts.some((p) => p === "")) {
      throw invalidArgument(
        `${field}: ${JSON.stringify(imageUser)} is not "user", "user:group" or a uid/gid`,
        {
          field,
        },
      );
    }
    user = { text: parts[0], field };
    if (parts.length === 2) group = { text: parts[1], field };
  }

  let uid: number;
  let gid: number;
  let name: string | undefined;
  if (/^\d+$/.test(user.text)) {
    uid = posixId(user.text, user.field);
    const entry = db.passwd.find((p) => p.uid === uid);
    gid = entry?.gid ?? 0;
    name = entry?.name;
  } else {
    const entry = db.passwd.find((p) => p.name === user.text);
    if (!entry) {
      throw invalidArgument(
        `${user.field}: user ${JSON.stringify(user.text)} is not in the image's /etc/passwd`,
        { field: user.field },
      );
    }
    ({ uid, gid, name } = entry);
  }
  if (group) {
    if (/^\d+$/.test(group.text)) {
      gid = posixId(group.text, group.field);
    } else {
      const entry = db.group.find((g) => g.name === group.text);
      if (!entry) {
        throw invalidArgument(
          `${group.field}: group ${JSON.stringify(group.text)} is not in the image's /etc/group`,
          { field: group.field },
        );
      }
      gid = entry.gid;
    }
  }

  const merge = (sc?.supplemental_groups_policy ?? "Merge") === "Merge";
  const member =
    merge && name !== undefined
      ? db.group
          .filter((g) => g.name !== name && g.members.includes(name as string))
          .map((g) => g.gid)
      : [];
  const supplemental = (sc?.supplemental_groups ?? []).map((g, i) =>
    posixId(g, `${scField}.supplemental_groups[${i}]`),
  );
  return { uid, gid, additionalGids: [...new Set([gid, ...member, ...supplemental])] };
}
