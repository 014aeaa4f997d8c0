package io.tickwire.server.dialect.ticktrader;

import io.tickwire.model.reference.ReferenceData;
import io.tickwire.server.history.HistoryService;

/**
 * What the TickTrader dialect needs beyond a session's services: quote history, the catalogue's
 * reference data, and the two-factor resume tokens shared by all its connections.
 */
public record TickTraderServices(HistoryService history, ReferenceData reference, TwoFactorResumes resumes) {
}
