/** Errors that carry their HTTP status and their cause. */
export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown; detail?: string | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.detail = options?.detail;
  }

  /** Extra words for the page, shown outside production only. */
  readonly detail: string | undefined;

  /** 4xx messages are written for the reader and may be shown in production. */
  get expose(): boolean {
    return this.status < 500;
  }
}

export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(message = 'There is no page at this address.') {
    super(404, message);
  }
}
