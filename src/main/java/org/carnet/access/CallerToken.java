package org.carnet.access;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** A signed-in request: the validated token and the caller it establishes. */
public final class CallerToken extends AbstractAuthenticationToken {

    private final transient Caller caller;
    private final transient Jwt jwt;

    CallerToken(Caller caller, Jwt jwt) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + caller.kind().name())));
        this.caller = caller;
        this.jwt = jwt;
        setAuthenticated(true);
    }

    public Caller caller() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return jwt;
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.subject();
    }
}
