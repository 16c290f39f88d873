package org.carnet.fhir;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API answers only once Carnet is ready ({@code /actuator/health/readiness}): while it starts, loads its demo
 * data or shuts down, a request gets 503 with {@code Retry-After}, never a half-loaded store.
 */
final class ReadinessFilter extends OncePerRequestFilter {

    private final ApplicationAvailability availability;

    ReadinessFilter(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", "5");
        FilterOutcomes.write(
                response,
                503,
                OperationOutcome.IssueType.TRANSIENT,
                "Carnet is not ready yet (starting, loading its demo data, or stopping): retry in a few seconds");
    }
}
