package org.carnet.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Answers from a servlet filter, before HAPI runs, with an OperationOutcome like HAPI's own errors. */
final class FilterOutcomes {

    private FilterOutcomes() {}

    static void write(
            HttpServletResponse response,
            int status,
            OperationOutcome.IssueType code,
            @org.jspecify.annotations.Nullable String diagnostics)
            throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(code)
                .setDiagnostics(diagnostics);
        byte[] body = FhirContext.forR4Cached()
                .newJsonParser()
                .encodeResourceToString(outcome)
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A plain JSON answer (not a FHIR resource), from a filter: search results, term lists. */
    static void json(HttpServletResponse response, int status, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
