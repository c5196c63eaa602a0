/** Errors services throw; app.onError maps each to an application/problem+json response. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
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

export class ServiceUnavailableError extends HttpProblem {
  constructor(detail: string) {
    super(503, 'Service Unavailable', detail);
  }
}
