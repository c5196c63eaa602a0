/** Errors services throw; app.onError maps each to an application/problem+json response. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    /** RFC 9457 extension members, e.g. the id of the item a duplicate upload matches. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }
}

export class BadRequestError extends HttpProblem {
  constructor(detail: string) {
    super(400, 'Bad Request', detail);
  }
}

export class NotFoundError extends HttpProblem {
  constructor(detail: string) {
    super(404, 'Not Found', detail);
  }
}

export class ConflictError extends HttpProblem {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, extensions);
  }
}

export class PayloadTooLargeError extends HttpProblem {
  constructor(detail: string) {
    super(413, 'Content Too Large', detail);
  }
}

export class UnsupportedMediaTypeError extends HttpProblem {
  constructor(detail: string) {
    super(415, 'Unsupported Media Type', detail);
  }
}

export class UnprocessableError extends HttpProblem {
  constructor(detail: string) {
    super(422, 'Unprocessable Content', detail);
  }
}

export class ServiceUnavailableError extends HttpProblem {
  constructor(detail: string) {
    super(503, 'Service Unavailable', detail);
  }
}

export class UnauthorizedError extends HttpProblem {
  constructor(detail: string) {
    super(401, 'Unauthorized', detail);
  }
}

export class ForbiddenError extends HttpProblem {
  constructor(detail: string) {
    super(403, 'Forbidden', detail);
  }
}

/** 429 with Retry-After (seconds). */
export class TooManyRequestsError extends HttpProblem {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'Too Many Requests', detail);
  }
}
