package org.carnet.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.QueryTimeoutException;

/**
 * Keeps errors honest and safe: client mistakes keep their 4xx; anything unexpected becomes a 500 whose
 * body carries only an incident reference, while the log keeps the cause (never the resource body).
 */
final class ErrorInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ErrorInterceptor.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException translate(RequestDetails request, Throwable exception) {
        BaseServerResponseException known = find(exception, BaseServerResponseException.class);
        if (known != null && known.getStatusCode() < 500) {
            return known;
        }
        org.carnet.record.StoreErrors store = org.carnet.record.StoreErrors.of(exception);
        if (store == org.carnet.record.StoreErrors.BAD_VALUE) {
            // PostgreSQL's "data exception" class: a value of the request it cannot hold or compare (a NUL
            // character, an out-of-range number or date). Carnet's statements are fixed; the value is the client's.
            return new InvalidRequestException("A value of the request cannot be used (it holds a character or a "
                    + "number out of range, such as NUL)");
        }
        if (store == org.carnet.record.StoreErrors.CONFLICT) {
            // Two writers created the same client-assigned id at once; the loser may retry.
            return new ResourceVersionConflictException("Concurrent write of the same resource; retry");
        }
        ca.uhn.fhir.parser.DataFormatException unreadable =
                find(exception, ca.uhn.fhir.parser.DataFormatException.class);
        if (unreadable != null) {
            // A value of the request HAPI could not read (a parameter such as _since, a body element).
            return new InvalidRequestException(unreadable.getMessage());
        }
        if (find(exception, NumberFormatException.class) != null) {
            // HAPI could not bind a number parameter (an operation's _count, say).
            return new InvalidRequestException("A number parameter holds something that is not a number");
        }
        org.carnet.search.RecordSearch.IndexNotReadyException rebuilding =
                find(exception, org.carnet.search.RecordSearch.IndexNotReadyException.class);
        if (rebuilding != null) {
            // The search index is being rebuilt (_content, _text): not ready yet, as the whole API is at start.
            BaseServerResponseException unavailable =
                    new ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException(
                            503, rebuilding.getMessage());
            unavailable.addResponseHeader("Retry-After", "5");
            return unavailable;
        }
        QueryTimeoutException timeout = find(exception, QueryTimeoutException.class);
        if (timeout != null) {
            return new InvalidRequestException(timeout.getMessage());
        }
        return incident(request, known != null ? known : exception);
    }

    /** The first throwable of that type in the chain of causes, or null. */
    private static <T extends Throwable> @org.jspecify.annotations.Nullable T find(Throwable exception, Class<T> type) {
        for (Throwable current = exception; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }

    private static InternalErrorException incident(RequestDetails request, Throwable cause) {
        String reference = UUID.randomUUID().toString();
        log.error("Incident {} on {} {}", reference, request.getRequestType(), request.getRequestPath(), cause);
        return new InternalErrorException("Internal error; incident reference " + reference);
    }
}
