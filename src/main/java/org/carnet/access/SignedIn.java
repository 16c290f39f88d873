package org.carnet.access;

import java.time.Instant;

/** A caller signed in: a token was seen and accepted for the first time. */
public record SignedIn(Caller caller, Instant at) {}
