package io.factoryhub.hub.rules;

import io.factoryhub.hub.reload.ValidationProblem;

/** A rule file that is refused, with where and why: {@code file:line: property 'x': reason}. */
public final class InvalidRuleFile extends Exception {

    private final transient ValidationProblem problem;

    InvalidRuleFile(ValidationProblem problem) {
        super(problem.toString());
        this.problem = problem;
    }

    public ValidationProblem problem() {
        return problem;
    }
}
