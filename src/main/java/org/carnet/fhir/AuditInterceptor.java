package org.carnet.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;

/** Writes a request's audit entries when HAPI has its answer ready and before it sends it. */
final class AuditInterceptor {

    private final Audits audits;

    AuditInterceptor(Audits audits) {
        this.audits = audits;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean beforeAnswer(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet) {
            audits.recordBeforeAnswer(servlet.getServletRequest());
        }
        return true;
    }
}
