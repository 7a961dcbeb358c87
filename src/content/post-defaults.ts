/**
 * What the store's posts are parsed with besides their own files: the site
 * settings' default author and time zone (`_site.yml`, read again by each
 * listing: src/settings.ts, docs/configuration.md) and the authors file
 * (`authors.yml`, src/content/author-directory.ts). A new default author or
 * time zone, or a new authors file, parses every post again; a broken
 * settings file is one more content error while the last good settings stay
 * in force.
 */
import { readAuthorDirectory, type AuthorDirectoryFile, type AuthorProfile } from './author-directory.js';
import type { PostDefaults } from './parse-post.js';
import type { ContentError } from './post.js';
import type { LiveSettings } from '../settings.js';

/** What reading the settings and authors again at a listing found. */
export interface DefaultsRead {
  /** The settings or the authors file changed: a new snapshot is due. */
  readonly changed: boolean;
  /** Posts say something else now (another default author or time zone, other authors): parse them all again. */
  readonly reparse: boolean;
  /** The authors file's problem, if it has one. */
  readonly error: ContentError | undefined;
}

export class PostDefaultsSource {
  /** The defaults the posts were parsed with. */
  private parsedWith: PostDefaults;
  private authorDirectory: AuthorDirectoryFile = { authors: new Map(), file: undefined, version: '', error: undefined };

  /**
   * @param settings the site settings this store reads again.
   * @param followSettings site settings another store reads again (the posts' store, for the
   * standalone pages): their author and time zone are followed, the file is not read here.
   */
  constructor(
    private readonly contentDir: string,
    private readonly fallback: PostDefaults,
    private readonly settings: LiveSettings | undefined,
    private readonly followSettings: LiveSettings | undefined,
  ) {
    this.parsedWith = this.defaults();
  }

  /** The author and time zone a post without its own gets: the settings in force. */
  private defaults(): PostDefaults {
    const site = (this.settings ?? this.followSettings)?.current;
    return site ? { author: site.author, timezone: site.timezone } : this.fallback;
  }

  /** What a post file is parsed with now. */
  forParsing(): PostDefaults {
    return { ...this.parsedWith, authors: this.authorDirectory.authors };
  }

  /** At each listing: the settings and the authors file read again when they changed. */
  readAgain(): DefaultsRead {
    const settingsChanged = this.settings?.refresh() ?? false;
    const defaults = this.defaults();
    // Author names come from `authors.yml` when a post names keys: a change to it is a change to every post.
    const directory = readAuthorDirectory(this.contentDir, this.authorDirectory);
    const directoryChanged = directory.version !== this.authorDirectory.version;
    this.authorDirectory = directory;
    // Another default author or time zone changes what every post says: parse them all again.
    const reparse = directoryChanged || defaults.author !== this.parsedWith.author || defaults.timezone !== this.parsedWith.timezone;
    this.parsedWith = defaults;
    // A new `authors.yml` changes every post, as new settings do.
    return { changed: settingsChanged || directoryChanged, reparse, error: directory.error };
  }

  /** The followed settings give posts another author or time zone than they were parsed with. */
  followedChanged(): boolean {
    const site = this.followSettings?.current;
    return site !== undefined && (site.author !== this.parsedWith.author || site.timezone !== this.parsedWith.timezone);
  }

  /** The settings file or the authors file changed on disk since they were read (no event needed). */
  changedOnDisk(): boolean {
    if (this.settings?.changedOnDisk()) return true;
    return readAuthorDirectory(this.contentDir, this.authorDirectory).version !== this.authorDirectory.version;
  }

  /** The problems of the settings file as it is now, as content errors. */
  settingsProblems(): ContentError[] {
    return (this.settings?.problems ?? []).map(({ file, line, message }): ContentError => ({ file, line, message }));
  }

  /** The profile (bio, link, avatar) `authors.yml` gives an author, by name. */
  authorProfile(name: string): AuthorProfile | undefined {
    for (const profile of this.authorDirectory.authors.values()) if (profile.name === name) return profile;
    return undefined;
  }
}
