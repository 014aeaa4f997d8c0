package io.tickwire.server.dialect.ticktrader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickwire.auth.Plan;
import io.tickwire.model.reference.CurrencyInfo;
import io.tickwire.model.reference.CurrencyType;
import io.tickwire.model.reference.ReferenceData;
import io.tickwire.model.reference.SymbolTerms;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code Result} of TickTrader's reference-data requests ({@code CurrencyTypes},
 * {@code Currencies}, {@code Symbols}) from the catalogue's {@link ReferenceData}, with the seed's
 * field names. Filters are {@code ;}-separated lists matched ignoring case; none matching gives
 * an empty list, as the seed notes. Immutable and thread-safe.
 */
final class TickTraderReference {

    private final ReferenceData data;

    TickTraderReference(ReferenceData data) {
        this.data = data;
    }

    JsonNode currencyTypes() {
        ArrayNode types = TickTraderJson.NODES.arrayNode();
        for (CurrencyType t : data.currencyTypes()) {
            types.addObject().put("Name", t.name()).put("Description", t.description());
        }
        ObjectNode result = TickTraderJson.object();
        result.set("CurrencyTypes", types);
        return result;
    }

    /** All currencies, or those named in {@code names} or of the types in {@code types} (either may be null). */
    JsonNode currencies(String names, String types) {
        Set<String> byName = list(names);
        Set<String> byType = list(types);
        ArrayNode out = TickTraderJson.NODES.arrayNode();
        for (CurrencyInfo c : data.currencies()) {
            if (matches(byName, c.name()) && matches(byType, c.type())) {
                out.addObject().put("Name", c.name()).put("Precision", c.precision()).put("Description", c.description());
            }
        }
        ObjectNode result = TickTraderJson.object();
        result.set("Currencies", out);
        return result;
    }

    /**
     * The symbols {@code plan} includes: all, or those named in {@code names} or of the securities in
     * {@code securities}. A symbol outside the plan is left out, as nothing of it may be subscribed.
     */
    JsonNode symbols(String names, String securities, Plan plan) {
        Set<String> byName = list(names);
        Set<String> bySecurity = list(securities);
        ArrayNode out = TickTraderJson.NODES.arrayNode();
        for (SymbolTerms s : data.symbols()) {
            if (plan.entitles(s.instrument().assetClass()) && matches(byName, s.instrument().symbol())
                    && matches(bySecurity, s.securityName())) {
                out.add(symbol(s));
            }
        }
        ObjectNode result = TickTraderJson.object();
        result.set("Symbols", out);
        return result;
    }

    private static ObjectNode symbol(SymbolTerms s) {
        Function<BigDecimal, JsonNode> n = TickTraderJson::number;
        ObjectNode o = TickTraderJson.object();
        o.put("Symbol", s.instrument().symbol());
        o.put("Precision", s.instrument().priceScale());
        o.put("IsTradeAllowed", true);
        o.put("MarginMode", s.marginMode());
        o.put("ProfitMode", s.marginMode());
        o.set("ContractSize", n.apply(s.contractSize()));
        o.set("MarginHedged", n.apply(s.marginHedged()));
        o.set("MarginFactor", n.apply(s.marginFactor()));
        o.put("MarginCurrency", s.marginCurrency().name());
        o.put("MarginCurrencyPrecision", s.marginCurrency().precision());
        o.put("ProfitCurrency", s.profitCurrency().name());
        o.put("ProfitCurrencyPrecision", s.profitCurrency().precision());
        o.put("Description", s.instrument().description());
        o.put("SwapEnabled", s.swapEnabled());
        o.set("SwapSizeShort", n.apply(s.swapSizeShort()));
        o.set("SwapSizeLong", n.apply(s.swapSizeLong()));
        o.set("MinTradeAmount", n.apply(s.minTradeAmount()));
        o.set("MaxTradeAmount", n.apply(s.maxTradeAmount()));
        o.set("TradeAmountStep", n.apply(s.tradeAmountStep()));
        o.put("CommissionType", "Percentage");
        o.put("CommissionChargeType", "PerLot");
        o.put("CommissionChargeMethod", "RoundTurn");
        o.set("Commission", n.apply(s.commission()));
        o.set("LimitsCommission", n.apply(s.commission()));
        o.set("MinCommission", n.apply(s.minCommission()));
        // a number, as the seed shows it (docs/dialects.md)
        o.set("MinCommissionCurrency", n.apply(s.minCommission()));
        o.set("DefaultSlippage", n.apply(s.defaultSlippage()));
        o.put("StatusGroupId", "Default");
        o.put("SecurityName", s.securityName());
        o.put("SecurityDescription", s.securityDescription());
        o.set("StopOrderMarginReduction", n.apply(BigDecimal.ZERO));
        o.set("HiddenLimitOrderMarginReduction", n.apply(BigDecimal.ZERO));
        return o;
    }

    /** The upper-cased items of a {@code ;}-separated filter, or {@code null} for no filter. */
    private static Set<String> list(String filter) {
        if (filter == null) {
            return null;
        }
        return Arrays.stream(filter.split(";")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static boolean matches(Set<String> filter, String value) {
        return filter == null || filter.contains(value.toUpperCase(Locale.ROOT));
    }
}
