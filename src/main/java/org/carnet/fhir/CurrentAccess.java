package org.carnet.fhir;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.carnet.access.AccessDecisions;
import org.carnet.access.Caller;
import org.carnet.record.Visibility;

/**
 * The access decision of the request being served, set by {@link AccessFilter} for the request's thread. Deny by
 * default: code that asks for it outside a signed-in request gets a 401, never a wider view.
 */
final class CurrentAccess {

    private static final ThreadLocal<Request> CURRENT = new ThreadLocal<>();

    /** The request's decision, its interaction, and what it disclosed or changed so far (for its audit entries). */
    static final class Request {
        final AccessDecisions.Decision decision;
        final @org.jspecify.annotations.Nullable String interaction;
        final @org.jspecify.annotations.Nullable String pathPatient;
        final List<Disclosed> disclosed = new ArrayList<>();
        boolean recorded;

        Request(
                AccessDecisions.Decision decision,
                @org.jspecify.annotations.Nullable String interaction,
                @org.jspecify.annotations.Nullable String pathPatient) {
            this.decision = decision;
            this.interaction = interaction;
            this.pathPatient = pathPatient;
        }
    }

    /** A resource shown to or changed by the caller, and the record it belongs to (null: none). */
    record Disclosed(
            String reference,
            @org.jspecify.annotations.Nullable String patientId) {}

    private CurrentAccess() {}

    static Request set(
            AccessDecisions.Decision decision,
            @org.jspecify.annotations.Nullable String interaction,
            @org.jspecify.annotations.Nullable String pathPatient) {
        Request request = new Request(decision, interaction, pathPatient);
        CURRENT.set(request);
        return request;
    }

    static void clear() {
        CURRENT.remove();
    }

    static Request request() {
        Request request = CURRENT.get();
        if (request == null) {
            throw new AuthenticationException("Sign in: this endpoint needs a bearer token");
        }
        return request;
    }

    static boolean active() {
        return CURRENT.get() != null;
    }

    static AccessDecisions.Decision decision() {
        return request().decision;
    }

    /** Notes that the caller was shown or changed a resource (recorded in the request's audit entries). */
    static void disclose(String type, String id, @org.jspecify.annotations.Nullable String patientId) {
        Request request = CURRENT.get();
        if (request != null) {
            request.disclosed.add(new Disclosed(type + "/" + id, patientId));
        }
    }

    static Visibility visibility() {
        return decision().visibility();
    }

    /** The Practitioner ids of the signed-in caller (the author-only rules of documents); none outside a request. */
    static java.util.Set<String> practitionerIds() {
        return active() ? caller().practitionerIds() : java.util.Set.of();
    }

    /** Who writes, for the record's write path: the caller's visibility and Practitioner ids. */
    static org.carnet.record.WriteScope writeScope() {
        return new org.carnet.record.WriteScope(visibility(), practitionerIds());
    }

    static Caller caller() {
        return decision().caller();
    }

    /** Refuses callers of other kinds (403). */
    static Caller require(Caller.Kind... kinds) {
        Caller caller = caller();
        if (!Arrays.asList(kinds).contains(caller.kind())) {
            throw new ForbiddenOperationException("This operation is not open to you");
        }
        return caller;
    }

    /** The key a kept result set is bound to: only the same caller, in the same mode, may page through it. */
    static String owner() {
        AccessDecisions.Decision decision = decision();
        return decision.caller().subject() + "|" + decision.mode() + "|" + decision.emergencyPatient();
    }
}
