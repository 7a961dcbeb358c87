/**
 * Settings that a release of Lede renamed: the old name keeps working until
 * the next major release, read as the new one, and `lede check` says which
 * name to write instead (CHANGELOG.md, "Upgrading", lists each rename with
 * the release that made it).
 */

export interface RenamedSetting {
  /** The name written in `_site.yml` before the rename. */
  readonly old: string;
  /** The name it has now. */
  readonly now: string;
  /** The release that renamed it. */
  readonly since: string;
}

/** Every rename in force, oldest first. None yet: 0.x has made none. */
export const RENAMED_SETTINGS: readonly RenamedSetting[] = [];

export interface Renamed {
  /** The settings with each old name moved to its new one (the new name wins when both are written). */
  readonly data: unknown;
  /** One per old name found: which to write instead. */
  readonly notices: readonly { readonly key: string; readonly message: string }[];
}

/** Reads old names as new ones in the parsed `_site.yml`; anything that is not a mapping is returned as it is. */
export function readRenamed(data: unknown, renames: readonly RenamedSetting[] = RENAMED_SETTINGS): Renamed {
  if (renames.length === 0 || data === null || typeof data !== 'object' || Array.isArray(data)) return { data, notices: [] };
  const settings: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  const notices: { key: string; message: string }[] = [];
  for (const { old, now, since } of renames) {
    if (!Object.hasOwn(settings, old)) continue;
    const value = settings[old];
    delete settings[old];
    if (Object.hasOwn(settings, now)) {
      notices.push({ key: old, message: `\`${old}\` was renamed \`${now}\` in Lede ${since}, and \`${now}\` is set too: \`${old}\` is ignored; remove it` });
    } else {
      settings[now] = value;
      notices.push({
        key: old,
        message: `\`${old}\` was renamed \`${now}\` in Lede ${since}: it is read as \`${now}\` until the next major release; write \`${now}\``,
      });
    }
  }
  return { data: settings, notices };
}
