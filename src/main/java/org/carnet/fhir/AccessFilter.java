package org.carnet.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.carnet.access.AccessDecisions;
import org.carnet.access.AccessMode;
import org.carnet.access.CallerToken;
import org.carnet.record.References;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes the access decision once per FHIR request, after sign-in: the caller, the declared access mode
 * ({@code Carnet-Access-Mode}, {@code Carnet-Access-Patient}, {@code Carnet-Access-Reason}) and the holder's rules
 * become the {@link CurrentAccess} every provider works under. When the request ends, what it disclosed is written
 * to the audit trail (writes record theirs inside their own transaction).
 */
final class AccessFilter extends OncePerRequestFilter {

    static final String MODE = "Carnet-Access-Mode";
    static final String PATIENT = "Carnet-Access-Patient";
    static final String REASON = "Carnet-Access-Reason";

    private static final Logger log = LoggerFactory.getLogger(AccessFilter.class);

    private final AccessDecisions decisions;
    private final Audits audits;

    AccessFilter(AccessDecisions decisions, Audits audits) {
        this.decisions = decisions;
        this.audits = audits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof CallerToken token)) {
            chain.doFilter(request, response);
            return;
        }
        String[] parts = parts(request);
        String interaction = interaction(request, parts);
        String pathPatient = patientNamedBy(request, parts);
        AccessMode mode = AccessMode.NORMAL;
        AccessDecisions.Decision decision;
        try {
            String declared = request.getHeader(MODE);
            if (declared != null) {
                mode = AccessMode.ofCode(declared.strip())
                        .orElseThrow(() -> new InvalidRequestException(
                                MODE + " is normal, bris-de-glace or centre-15, not '" + declared + "'"));
            }
            decision = decisions.decide(token.caller(), mode, request.getHeader(PATIENT), request.getHeader(REASON));
        } catch (BaseServerResponseException e) {
            // a refusal is audited as the request it refuses; the CapabilityStatement (no interaction) is not audited
            if (e.getStatusCode() == 403
                    && interaction != null
                    && request.getHeader(PATIENT) != null
                    && References.isValidId(request.getHeader(PATIENT).strip())) {
                audits.recordRefusal(
                        token.caller(),
                        interaction,
                        mode.code(),
                        request.getHeader(REASON),
                        request.getHeader(PATIENT).strip());
            }
            refuse(response, e);
            return;
        }
        CurrentAccess.Request current = CurrentAccess.set(decision, interaction, pathPatient);
        try {
            chain.doFilter(request, response);
        } finally {
            try {
                if (!current.recorded && interaction != null) {
                    audits.recordNow(response.getStatus() < 400, Audits.detail(request, interaction));
                }
            } catch (RuntimeException e) {
                // The response is already on its way; the failure is an incident for the operator.
                log.error("Audit entry could not be written for a {} request", interaction, e);
            } finally {
                CurrentAccess.clear();
            }
        }
    }

    /**
     * The record a request names, if one: {@code Patient/{id}/...}, or a search confined to one patient. A request
     * that discloses nothing (an empty result, a count) is audited on that record's chain.
     */
    static @org.jspecify.annotations.Nullable String patientNamedBy(HttpServletRequest request, String[] parts) {
        if (parts.length >= 2 && "Patient".equals(parts[0]) && References.isValidId(parts[1])) {
            return parts[1];
        }
        for (String param : parts.length == 1 && "Patient".equals(parts[0])
                ? new String[] {"_id"}
                : new String[] {"patient", "subject"}) {
            String[] values = request.getParameterValues(param);
            if (values != null && values.length == 1 && !values[0].contains(",")) {
                String id = values[0].startsWith("Patient/") ? values[0].substring("Patient/".length()) : values[0];
                if (References.isValidId(id)) {
                    return id;
                }
            }
        }
        return null;
    }

    private static String[] parts(HttpServletRequest request) {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        return path.isEmpty() || "/".equals(path)
                ? new String[0]
                : path.substring(1).split("/");
    }

    /** The FHIR interaction of a request, as audited; null for the CapabilityStatement. */
    static @org.jspecify.annotations.Nullable String interaction(HttpServletRequest request, String[] parts) {
        String method = request.getMethod();
        if (request.getParameter("_getpages") != null) {
            return "search-type";
        }
        if (parts.length == 0) {
            return "POST".equals(method) ? "transaction" : "search-system";
        }
        String last = parts[parts.length - 1];
        if (last.startsWith("$")) {
            return last.substring(1);
        }
        if (parts.length == 1) {
            return "metadata".equals(parts[0]) ? null : "POST".equals(method) ? "create" : "search-type";
        }
        if ("_search".equals(parts[1])) {
            return "search-type";
        }
        if ("_history".equals(parts[1])) {
            return "history-type";
        }
        if (parts.length == 2) {
            return switch (method) {
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "read";
            };
        }
        return parts.length == 3 ? "history-instance" : "vread";
    }

    private static void refuse(HttpServletResponse response, BaseServerResponseException e) throws IOException {
        FilterOutcomes.write(
                response,
                e.getStatusCode(),
                e.getStatusCode() == 403 ? OperationOutcome.IssueType.FORBIDDEN : OperationOutcome.IssueType.INVALID,
                e.getMessage());
    }
}
