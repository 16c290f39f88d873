package org.carnet.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;

/**
 * Keeps errors honest and safe: client mistakes keep their 4xx; anything unexpected becomes a 500 whose
 * body carries only an incident reference, while the log keeps the cause (never the resource body).
 */
final class ErrorInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ErrorInterceptor.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException translate(RequestDetails request, Throwable exception) {
        Throwable cause = unwrap(exception);
        if (cause instanceof BaseServerResponseException known) {
            if (known.getStatusCode() >= 500) {
                return incident(request, known);
            }
            return known;
        }
        if (cause instanceof DataIntegrityViolationException) {
            // Two writers created the same client-assigned id at once; the loser may retry.
            return new ResourceVersionConflictException("Concurrent write of the same resource; retry");
        }
        if (cause instanceof PayloadTooLargeException || cause instanceof QueryTimeoutException) {
            return new InvalidRequestException(cause.getMessage());
        }
        return incident(request, cause);
    }

    private static Throwable unwrap(Throwable exception) {
        Throwable current = exception;
        while (!(current instanceof BaseServerResponseException)
                && !(current instanceof DataIntegrityViolationException)
                && current.getCause() != null
                && current.getCause() != current) {
            current = current.getCause();
        }
        return current instanceof BaseServerResponseException || current instanceof DataIntegrityViolationException
                ? current
                : exception;
    }

    private static InternalErrorException incident(RequestDetails request, Throwable cause) {
        String reference = UUID.randomUUID().toString();
        log.error("Incident {} on {} {}", reference, request.getRequestType(), request.getRequestPath(), cause);
        return new InternalErrorException("Internal error; incident reference " + reference);
    }
}
