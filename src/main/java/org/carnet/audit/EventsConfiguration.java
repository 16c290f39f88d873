package org.carnet.audit;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Listeners of the event publication registry ({@code @ApplicationModuleListener}) run after the commit, on the
 * application's task executor (threads {@code carnet-events-*}), off the request that published the event.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
class EventsConfiguration {}
