// The compiled-in entity specs. Column names here are SQL identifiers: they must match
// shared/src/schema/*.sql exactly (tests check every spec against the live schema).
#include <minga/shared/entity.hpp>

#include <array>

namespace minga {

namespace {

using fk = field_kind;

constexpr std::array agreement_fields = {
    field_spec{"title", "title", fk::text, true, "", "título", "title"},
    field_spec{"kind", "kind", fk::choice, true,
               "convenio_marco|convenio_especifico|hermanamiento|memorando_entendimiento|"
               "carta_intencion|adenda",
               "tipo de instrumento", "kind of instrument"},
    field_spec{"status", "status", fk::choice, true,
               "negociacion|vigente|finalizado|terminado|suspendido", "estado", "status"},
    field_spec{"reference", "reference", fk::text, false, "", "número del convenio", "agreement number"},
    field_spec{"purpose", "purpose", fk::text, false, "", "objeto", "purpose"},
    field_spec{"parent_id", "parent", fk::ref, false, "agreement", "convenio principal", "parent agreement"},
    field_spec{"offer_id", "offer", fk::ref, false, "offer", "oferta de origen", "originating offer"},
    field_spec{"source", "source", fk::codelist, false, "cinr.fuente", "fuente", "source"},
    field_spec{"modality", "modality", fk::codelist, false, "cinr.modalidad", "modalidad", "modality"},
    field_spec{"geopolitical", "geopolitical", fk::choice, false, "norte_sur|sur_sur|triangular",
               "tipo geopolítico", "geopolitical type"},
    field_spec{"intl_kind", "intl-kind", fk::choice, false, "hermanamiento|redes|diplomacia_ciudades",
               "internacionalización", "internationalisation"},
    field_spec{"decentralized_via", "decentralized-via", fk::choice, false, "directa|indirecta",
               "vía descentralizada", "decentralised channel"},
    field_spec{"signed_on", "signed-on", fk::date, false, "", "fecha de firma", "signing date"},
    field_spec{"valid_from", "valid-from", fk::date, false, "", "vigente desde", "valid from"},
    field_spec{"valid_to", "valid-to", fk::date, false, "", "vigente hasta", "valid to"},
    field_spec{"currency", "currency", fk::currency, false, "", "moneda", "currency"},
    field_spec{"cooperant_amount", "cooperant-amount", fk::money, false, "currency",
               "monto del cooperante", "cooperant amount"},
    field_spec{"counterpart_amount", "counterpart-amount", fk::money, false, "currency",
               "monto de contraparte", "counterpart amount"},
    field_spec{"party", "cooperant", fk::party_set, false, "", "cooperante (id de organización)",
               "cooperant (organisation id)"},
};

constexpr std::array project_fields = {
    field_spec{"title", "title", fk::text, true, "", "título", "title"},
    field_spec{"modality", "modality", fk::codelist, true, "cinr.modalidad", "modalidad", "modality"},
    field_spec{"source", "source", fk::codelist, false, "cinr.fuente", "fuente", "source"},
    field_spec{"agreement_id", "agreement", fk::ref, false, "agreement", "convenio", "agreement"},
    field_spec{"local_code", "code", fk::text, false, "", "código local", "local code"},
    field_spec{"description", "description", fk::text, false, "", "descripción", "description"},
    field_spec{"objectives", "objectives", fk::text, false, "", "objetivos", "objectives"},
    field_spec{"target_groups", "target-groups", fk::text, false, "", "población objetivo", "target groups"},
    field_spec{"activity_status", "activity-status", fk::integer, false, "1..6",
               "estado IATI (1 identificación … 6 suspendido)", "IATI activity status (1..6)"},
    field_spec{"planned_start", "planned-start", fk::date, false, "", "inicio previsto", "planned start"},
    field_spec{"planned_end", "planned-end", fk::date, false, "", "fin previsto", "planned end"},
    field_spec{"actual_start", "actual-start", fk::date, false, "", "inicio real", "actual start"},
    field_spec{"actual_end", "actual-end", fk::date, false, "", "fin real", "actual end"},
    field_spec{"geopolitical", "geopolitical", fk::choice, false, "norte_sur|sur_sur|triangular",
               "tipo geopolítico", "geopolitical type"},
    field_spec{"collaboration_type", "collaboration-type", fk::codelist, false, "iati.CollaborationType",
               "tipo de colaboración IATI", "IATI collaboration type"},
    field_spec{"finance_type", "finance-type", fk::codelist, false, "iati.FinanceType",
               "tipo de financiamiento IATI", "IATI finance type"},
    field_spec{"aid_type", "aid-type", fk::codelist, false, "iati.AidType", "tipo de ayuda IATI", "IATI aid type"},
    field_spec{"default_currency", "currency", fk::currency, false, "", "moneda", "currency"},
    field_spec{"pdot_ref", "pdot", fk::text, false, "", "alineación PDOT (objetivo/programa)",
               "PDOT alignment (objective/programme)"},
    field_spec{"beneficiaries", "beneficiaries", fk::integer, false, "0..100000000",
               "beneficiarios", "beneficiaries"},
    field_spec{"sdg", "sdg", fk::sdg_set, false, "", "ODS (1–17)", "SDG (1–17)"},
    field_spec{"sector", "sector", fk::sector_set, false, "", "sector CAD (código[:porcentaje])",
               "DAC sector (code[:percentage])"},
    field_spec{"location", "location", fk::location_set, false, "",
               "ubicación (parroquia[:nombre[:lat:lon]])", "location (parish[:name[:lat:lon]])"},
    field_spec{"participant", "participant", fk::participant_set, false, "",
               "participante (organización:rol 1–4)", "participant (organisation:role 1–4)"},
    field_spec{"budget", "budget", fk::budget_set, false, "",
               "presupuesto (inicio:fin:monto)", "budget (start:end:amount)"},
};

constexpr std::array result_fields = {
    field_spec{"project_id", "project", fk::ref, true, "project", "proyecto", "project"},
    field_spec{"title", "title", fk::text, true, "", "título", "title"},
    field_spec{"type", "type", fk::choice, false, "1|2|3|9", "tipo (1 producto, 2 efecto, 3 impacto, 9 otro)",
               "type (1 output, 2 outcome, 3 impact, 9 other)"},
    field_spec{"description", "description", fk::text, false, "", "descripción", "description"},
};

constexpr std::array indicator_fields = {
    field_spec{"project_id", "project", fk::ref, true, "project", "proyecto", "project"},
    field_spec{"title", "title", fk::text, true, "", "nombre del indicador", "indicator name"},
    field_spec{"unit", "unit", fk::text, true, "", "unidad (ha, personas, plántulas…)", "unit (ha, people…)"},
    field_spec{"aggregation", "aggregation", fk::choice, false, "sum|last|max|mean",
               "regla de agregación", "aggregation rule"},
    field_spec{"result_id", "result", fk::ref, false, "project_result", "resultado", "result"},
    field_spec{"indicator_code", "library-code", fk::ref, false, "indicator_def",
               "indicador de la biblioteca", "library indicator"},
    field_spec{"measure", "measure", fk::integer, false, "1..5", "medida IATI (1 unidad, 2 porcentaje…)",
               "IATI measure (1 unit, 2 percentage…)"},
    field_spec{"ascending", "ascending", fk::integer, false, "0..1", "ascendente (1 sí, 0 no)",
               "ascending (1 yes, 0 no)"},
    field_spec{"baseline_year", "baseline-year", fk::integer, false, "1950..2100", "año de línea base",
               "baseline year"},
    field_spec{"baseline_value", "baseline", fk::decimal, false, "", "línea base", "baseline"},
    field_spec{"target_value", "target", fk::decimal, false, "", "meta", "target"},
    field_spec{"target_date", "target-date", fk::date, false, "", "fecha de la meta", "target date"},
};

constexpr std::array period_fields = {
    field_spec{"indicator_id", "indicator", fk::ref, true, "indicator", "indicador", "indicator"},
    field_spec{"period_start", "start", fk::date, true, "", "inicio del período", "period start"},
    field_spec{"period_end", "end", fk::date, true, "", "fin del período", "period end"},
    field_spec{"target_value", "target", fk::decimal, false, "", "meta del período", "period target"},
};

constexpr std::array monitoring_fields = {
    field_spec{"project_id", "project", fk::ref, true, "project", "proyecto", "project"},
    field_spec{"period_start", "start", fk::date, true, "", "inicio del período", "period start"},
    field_spec{"period_end", "end", fk::date, true, "", "fin del período", "period end"},
    field_spec{"kind", "kind", fk::choice, false,
               "seguimiento|evaluacion_intermedia|evaluacion_final|cierre", "tipo de informe", "report kind"},
    field_spec{"status", "status", fk::choice, false, "borrador|enviado|observado|aprobado", "estado", "status"},
    field_spec{"narrative", "narrative", fk::text, false, "", "narrativa", "narrative"},
    field_spec{"lessons", "lessons", fk::text, false, "", "lecciones aprendidas", "lessons learned"},
};

constexpr std::array observation_fields = {
    field_spec{"indicator_id", "indicator", fk::ref, true, "indicator", "indicador", "indicator"},
    field_spec{"value", "value", fk::decimal, true, "", "valor", "value"},
    field_spec{"observed_on", "date", fk::date, true, "", "fecha de la observación", "observation date"},
    field_spec{"period_id", "period", fk::ref, false, "reporting_period", "período", "period"},
    field_spec{"report_id", "report", fk::ref, false, "monitoring_report", "informe", "report"},
    field_spec{"territory", "territory", fk::territory, false, "", "parroquia o cantón", "parish or canton"},
    field_spec{"lat", "lat", fk::latitude, false, "", "latitud", "latitude"},
    field_spec{"lon", "lon", fk::longitude, false, "", "longitud", "longitude"},
    field_spec{"accuracy_m", "accuracy", fk::decimal, false, "", "precisión GPS (m)", "GPS accuracy (m)"},
    field_spec{"sex", "sex", fk::choice, false, "mujer|hombre|otro", "sexo", "sex"},
    field_spec{"age_group", "age-group", fk::text, false, "", "grupo de edad", "age group"},
    field_spec{"collected_by", "collected-by", fk::text, false, "", "levantado por", "collected by"},
    field_spec{"note", "note", fk::text, false, "", "nota", "note"},
};

constexpr std::array transaction_fields = {
    field_spec{"project_id", "project", fk::ref, true, "project", "proyecto", "project"},
    field_spec{"type", "type", fk::integer, true, "1..13",
               "tipo IATI (2 compromiso, 3 desembolso, 4 gasto…)", "IATI type (2 commitment, 3 disbursement…)"},
    field_spec{"tx_date", "date", fk::date, true, "", "fecha", "date"},
    field_spec{"currency", "currency", fk::currency, true, "", "moneda", "currency"},
    field_spec{"amount", "amount", fk::money, true, "currency", "monto", "amount"},
    field_spec{"provider_id", "provider", fk::ref, false, "organisation", "proveedor de fondos", "provider"},
    field_spec{"receiver_id", "receiver", fk::ref, false, "organisation", "receptor", "receiver"},
    field_spec{"description", "description", fk::text, false, "", "descripción", "description"},
};

constexpr std::array demand_fields = {
    field_spec{"title", "title", fk::text, true, "", "título", "title"},
    field_spec{"year", "year", fk::integer, true, "2000..2100", "año del plan", "plan year"},
    field_spec{"modality", "modality", fk::codelist, true, "cinr.modalidad", "modalidad buscada",
               "modality sought"},
    field_spec{"description", "description", fk::text, false, "", "descripción", "description"},
    field_spec{"pdot_objective", "pdot", fk::text, false, "", "objetivo del PDOT", "PDOT objective"},
    field_spec{"source", "source", fk::codelist, false, "cinr.fuente", "fuente preferida",
               "preferred source"},
    field_spec{"currency", "currency", fk::currency, false, "", "moneda", "currency"},
    field_spec{"estimated_amount", "amount", fk::money, false, "currency", "monto estimado",
               "estimated amount"},
    field_spec{"priority", "priority", fk::choice, false, "alta|media|baja", "prioridad", "priority"},
    field_spec{"status", "status", fk::choice, false,
               "identificada|priorizada|en_gestion|atendida|descartada", "estado", "status"},
    field_spec{"sdg", "sdg", fk::sdg_target_set, false, "", "ODS o meta (15 o 15.3)",
               "SDG or target (15 or 15.3)"},
    field_spec{"sector", "sector", fk::sector_set, false, "demand_sector",
               "sector CAD (código[:porcentaje])", "DAC sector (code[:percentage])"},
    field_spec{"territory", "territory", fk::territory_set, false, "",
               "parroquia o cantón concernido", "parish or canton concerned"},
};

// `status` is not a field: it moves only through the pipeline (`minga application move`).
constexpr std::array application_fields = {
    field_spec{"title", "title", fk::text, true, "", "título", "title"},
    field_spec{"offer_id", "offer", fk::ref, false, "offer", "oferta", "offer"},
    field_spec{"cooperant_id", "cooperant", fk::ref, false, "organisation", "cooperante", "cooperant"},
    field_spec{"demand_id", "demand", fk::ref, false, "demand", "demanda", "demand"},
    field_spec{"currency", "currency", fk::currency, false, "", "moneda", "currency"},
    field_spec{"requested_amount", "amount", fk::money, false, "currency", "monto solicitado",
               "amount requested"},
    field_spec{"counterpart_amount", "counterpart-amount", fk::money, false, "currency",
               "monto de contraparte", "counterpart amount"},
    field_spec{"planned_start", "planned-start", fk::date, false, "", "inicio previsto", "planned start"},
    field_spec{"planned_end", "planned-end", fk::date, false, "", "fin previsto", "planned end"},
    field_spec{"note", "note", fk::text, false, "", "nota", "note"},
};

constexpr std::array practice_fields = {
    field_spec{"title", "title", fk::text, true, "", "título", "title"},
    field_spec{"objective", "objective", fk::text, false, "", "objetivo", "objective"},
    field_spec{"partners", "partners", fk::text, false, "", "socios", "partners"},
    field_spec{"funder", "funder", fk::text, false, "", "financiador", "funder"},
    field_spec{"process_steps", "steps", fk::text, false, "", "pasos del proceso", "process steps"},
    field_spec{"results", "results", fk::text, false, "", "resultados", "results"},
    field_spec{"commitments", "commitments", fk::text, false, "", "compromisos", "commitments"},
    field_spec{"lessons", "lessons", fk::text, false, "", "lecciones aprendidas", "lessons learned"},
    field_spec{"project_id", "project", fk::ref, false, "project", "proyecto", "project"},
    field_spec{"territory", "territory", fk::territory, false, "", "territorio", "territory"},
};

constexpr std::array organisation_fields = {
    field_spec{"name", "name", fk::text, true, "", "nombre", "name"},
    field_spec{"acronym", "acronym", fk::text, false, "", "siglas", "acronym"},
    field_spec{"ruc", "ruc", fk::text, false, "", "RUC", "RUC"},
    field_spec{"cinr_source", "source", fk::codelist, false, "cinr.fuente", "fuente", "source"},
    field_spec{"country", "country", fk::text, false, "", "país", "country"},
    field_spec{"status", "status", fk::text, false, "", "estado", "status"},
};

constexpr std::array offer_fields = {
    field_spec{"title", "title", fk::text, true, "", "título", "title"},
    field_spec{"cooperant_id", "cooperant", fk::ref, true, "organisation", "cooperante", "cooperant"},
    field_spec{"modality", "modality", fk::codelist, true, "cinr.modalidad", "modalidad", "modality"},
    field_spec{"source", "source", fk::codelist, false, "cinr.fuente", "fuente", "source"},
    field_spec{"sdgs", "sdgs", fk::text, false, "", "ODS", "SDGs"},
    field_spec{"sectors", "sectors", fk::text, false, "", "sectores", "sectors"},
    field_spec{"closes_on", "closes-on", fk::date, false, "", "cierre", "deadline"},
    field_spec{"status", "status", fk::text, false, "", "estado", "status"},
    field_spec{"territories", "territories", fk::text, false, "", "territorios (vacío: todo el país)",
               "territories (empty: the whole country)"},
};

constexpr std::array gad_fields = {
    field_spec{"name", "name", fk::text, true, "", "nombre", "name"},
    field_spec{"level", "level", fk::text, true, "", "nivel", "level"},
    field_spec{"territory", "territory", fk::territory, false, "", "territorio", "territory"},
};

constexpr std::array<entity_spec, 14> all_specs = {{
    {"agreement", "agreement", "convenio", "agreement", true, "", agreement_fields,
     "title,kind,status,signed_on"},
    {"project", "project", "proyecto", "project", true, "", project_fields,
     "title,modality,activity_status,planned_start"},
    {"result", "project_result", "resultado", "result", true, "project_id", result_fields,
     "title,type,project_id"},
    {"indicator", "indicator", "indicador", "indicator", true, "project_id", indicator_fields,
     "title,unit,baseline_value,target_value"},
    {"period", "reporting_period", "período de reporte", "reporting period", true, "indicator_id",
     period_fields, "indicator_id,period_start,period_end,target_value"},
    {"monitoring", "monitoring_report", "informe de seguimiento", "monitoring report", true,
     "project_id", monitoring_fields, "project_id,period_start,period_end,kind,status"},
    {"observation", "observation", "observación", "observation", true, "indicator_id",
     observation_fields, "indicator_id,observed_on,value"},
    {"transaction", "project_transaction", "transacción", "transaction", true, "project_id",
     transaction_fields, "project_id,type,tx_date,amount,currency"},
    {"demand", "demand", "demanda", "demand", true, "", demand_fields,
     "title,year,modality,priority,status"},
    {"application", "application", "postulación", "application", true, "", application_fields,
     "title,status,status_on,offer_id,cooperant_id"},
    {"practice", "good_practice", "buena práctica", "good practice", true, "project_id",
     practice_fields, "title,project_id,territory"},
    {"organisation", "organisation", "organización", "organisation", false, "", organisation_fields,
     "name,acronym,cinr_source,country,status"},
    {"offer", "offer", "oferta", "offer", false, "", offer_fields, "title,modality,closes_on,status"},
    {"gad", "gad", "GAD", "GAD", false, "", gad_fields, "name,level", "code"},
}};

}  // namespace

std::span<const entity_spec> entities() noexcept { return all_specs; }

const entity_spec* find_entity(std::string_view kind) noexcept {
    for (const auto& e : all_specs)
        if (e.kind == kind) return &e;
    return nullptr;
}

const field_spec* find_field(const entity_spec& e, std::string_view option) noexcept {
    for (const auto& f : e.fields)
        if (f.option == option) return &f;
    return nullptr;
}

}  // namespace minga
