package io.tickwire.model.reference;

import io.tickwire.model.Instrument;
import java.math.BigDecimal;

/**
 * An instrument's trading terms: how it is margined and charged, the amounts it trades in, its
 * security (market) group. Tickwire carries market data only; these terms describe the
 * instrument for clients that expect them, they are not enforced.
 */
public record SymbolTerms(Instrument instrument, String securityName, String securityDescription, String marginMode,
                          BigDecimal contractSize, BigDecimal marginHedged, BigDecimal marginFactor,
                          CurrencyInfo marginCurrency, CurrencyInfo profitCurrency, boolean swapEnabled,
                          BigDecimal swapSizeShort, BigDecimal swapSizeLong, BigDecimal minTradeAmount,
                          BigDecimal maxTradeAmount, BigDecimal tradeAmountStep, BigDecimal commission,
                          BigDecimal minCommission, BigDecimal defaultSlippage) {
}
