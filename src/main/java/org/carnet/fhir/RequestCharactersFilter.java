package org.carnet.fhir;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with a 400 OperationOutcome, a request whose parameters hold a control character: FHIR strings never
 * contain characters below U+0020 but tab, line feed and carriage return (R4 "string" data type), and PostgreSQL
 * cannot hold a NUL at all, so such a value is a client's mistake wherever it appears, answered before anything reads
 * the store.
 */
final class RequestCharactersFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getPathInfo();
        if (path != null && hasControl(path)) {
            refuse(response, "The request path holds a control character");
            return;
        }
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (IllegalArgumentException | IllegalStateException e) {
            refuse(response, "The request parameters cannot be read (invalid encoding)");
            return;
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            if (hasControl(parameter.getKey())) {
                refuse(response, "A parameter name holds a control character");
                return;
            }
            for (String value : parameter.getValue()) {
                if (value != null && hasControl(value)) {
                    refuse(
                            response,
                            "The value of parameter " + printable(parameter.getKey())
                                    + " holds a control character (such as NUL), which FHIR values never contain");
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return true;
            }
        }
        return false;
    }

    private static String printable(String name) {
        String shown = name.length() > 60 ? name.substring(0, 60) + "…" : name;
        return shown.replaceAll("[^\\p{Alnum}_:.\\-$]", "?");
    }

    private static void refuse(HttpServletResponse response, String diagnostics) throws IOException {
        FilterOutcomes.write(response, 400, OperationOutcome.IssueType.INVALID, diagnostics);
    }
}
