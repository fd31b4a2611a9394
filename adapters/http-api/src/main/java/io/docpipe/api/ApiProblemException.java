package io.docpipe.api;

/** A request that cannot be served, carrying the problem to report to the client. */
public final class ApiProblemException extends Exception {

  private final Problem problem;

  public ApiProblemException(Problem problem) {
    super(problem.type() + ": " + problem.detail());
    this.problem = problem;
  }

  ApiProblemException(ProblemType type, String detail) {
    this(new Problem(type, detail));
  }

  public Problem problem() {
    return problem;
  }
}
