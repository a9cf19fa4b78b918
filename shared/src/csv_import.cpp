#include <minga/shared/csv.hpp>
#include <minga/shared/csv_import.hpp>

#include <istream>

namespace minga {

result<import_summary> import_observations(entity_service& svc, replica& r, std::istream& in,
                                           const import_progress& progress) {
    const entity_spec* spec = find_entity("observation");
    auto rd = csv::reader::open(in);
    if (!rd) return std::move(rd).err();
    std::vector<const field_spec*> columns;
    for (const auto& name : rd->header()) {
        const field_spec* fs = find_field(*spec, name);
        if (!fs) {
            std::string known;
            for (const auto& f : spec->fields) known += (known.empty() ? "" : ", ") + std::string(f.option);
            return make_error(errc::bad_input, "columna " + name,
                              "columna desconocida en el CSV; columnas posibles: " + known,
                              "unknown CSV column; possible columns: " + known);
        }
        columns.push_back(fs);
    }
    for (const auto& fs : spec->fields) {
        if (fs.required && !rd->index(fs.option)) {
            return make_error(errc::bad_input, "columna " + std::string(fs.option),
                              "falta la columna obligatoria en la cabecera del CSV",
                              "the CSV header lacks this required column");
        }
    }
    sql::transaction tx(r.conn());
    import_summary sum;
    form f;
    for (;;) {
        auto rec = rd->next();
        if (!rec) return std::move(rec).err();  // the transaction rolls back
        if (!*rec) break;
        f.clear();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            auto cell = (**rec)[i];
            if (!cell.empty()) f.emplace_back(std::string(columns[i]->option), std::string(cell));
        }
        auto added = svc.add(tx, *spec, f);
        if (!added) {
            auto e = std::move(added).err();
            e.field = csv::line_field((*rec)->line()) + ", " + e.field;
            return e;
        }
        if (++sum.rows % progress_every == 0 && progress) progress(sum.rows);
    }
    if (sum.rows == 0) {
        return make_error(errc::bad_input, "CSV", "el archivo no tiene filas de datos",
                          "the file has no data rows");
    }
    r.commit(tx);
    return sum;
}

}  // namespace minga
