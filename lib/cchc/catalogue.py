"""Every word the reports, charts and index pages show, in Vietnamese and English, looked up by ``text``.

One entry per key: ``{"vi": ..., "en": ...}``. Values in braces (``{year}``) are filled by ``text``;
numbers are formatted by the caller (``narrative.fmt_*``, Babel) before they are filled in, so the
catalogue holds words only. The headings of the notebooks' markdown cells are here too (``heading.*``):
the notebooks are written in Vietnamese and an English report shows the English of each heading.
"""

from __future__ import annotations

LANGS = ("vi", "en")
# The CLDR locale whose number and date formats each language uses (British English: day/month/year).
LOCALES = {"vi": "vi", "en": "en_GB"}

TEXTS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ words used everywhere
    "missing": {"vi": "chưa có số liệu", "en": "no data"},
    "report_title": {"vi": "Báo cáo tiến độ cải cách hành chính", "en": "Administrative reform progress report"},
    "overview_title": {"vi": "Tổng quan cả nước", "en": "National overview"},
    "year_word": {"vi": "năm", "en": "year"},
    "region": {"vi": "Vùng", "en": "Region"},
    "label.year": {"vi": "Năm", "en": "Year"},
    "label.index": {"vi": "Chỉ số", "en": "Index"},
    "label.score": {"vi": "Điểm", "en": "Score"},
    "label.rank": {"vi": "Thứ hạng", "en": "Rank"},
    "label.change": {"vi": "Thay đổi", "en": "Change"},
    "label.source": {"vi": "Nguồn", "en": "Source"},
    "label.note": {"vi": "Ghi chú", "en": "Note"},
    "label.component": {"vi": "Lĩnh vực", "en": "Area"},
    "label.max_score": {"vi": "Điểm tối đa", "en": "Maximum"},
    "label.share_of_max": {"vi": "Tỷ lệ đạt", "en": "Share of maximum"},
    "label.target": {"vi": "Mục tiêu", "en": "Target"},
    "label.as_worded": {"vi": "Nội dung văn bản", "en": "As worded"},
    "label.document": {"vi": "Văn bản", "en": "Document"},
    "label.deadline": {"vi": "Thời hạn", "en": "Deadline"},
    "label.latest": {"vi": "Giá trị mới nhất", "en": "Latest value"},
    "label.status": {"vi": "Đánh giá", "en": "Status"},
    "label.unit": {"vi": "Đơn vị", "en": "Unit"},
    "label.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "label.what": {"vi": "Nội dung", "en": "Item"},
    "label.value": {"vi": "Giá trị", "en": "Value"},
    "sources.components": {"vi": "và {n} chỉ số thành phần", "en": "and {n} components"},
    "sources.components_only": {"vi": "{n} chỉ số thành phần", "en": "{n} components"},
    "sources.folded": {
        "vi": "Bảng nguồn số liệu ({n} dòng) — bấm để xem",
        "en": "Sources table ({n} rows) — open to read",
    },
    "label.group": {"vi": "Nhóm", "en": "Group"},
    "label.denominator": {"vi": "Mẫu số", "en": "Denominator"},
    "label.scope": {"vi": "Phạm vi", "en": "Scope"},
    "derived": {"vi": "suy ra từ mức thay đổi được công bố", "en": "derived from a published change"},
    "computed": {"vi": "tính", "en": "computed"},
    "computed_mark": {"vi": "{text} (tính)", "en": "{text} (computed)"},
    "national": {"vi": "Cả nước", "en": "National"},
    "units_word": {"vi": "{n} đơn vị", "en": "{n} units"},
    "no_data": {"vi": "Chưa có số liệu.", "en": "No data."},
    "no_data_about": {"vi": "Chưa có số liệu {what}.", "en": "No data {what}."},
    # ------------------------------------------------------------ numbers in words
    "points": {"vi": "{number} điểm", "en": "{number} points"},
    "on_scale": {"vi": "{said} ({scale})", "en": "{said} ({scale})"},
    "points_of": {"vi": "{number}/{scale} điểm", "en": "{number}/{scale} points"},
    "rank_up": {"vi": "tăng {n} bậc", "en": "up {n} places"},
    "rank_up_one": {"vi": "tăng 1 bậc", "en": "up 1 place"},
    "rank_down": {"vi": "giảm {n} bậc", "en": "down {n} places"},
    "rank_down_one": {"vi": "giảm 1 bậc", "en": "down 1 place"},
    "rank_same": {"vi": "giữ nguyên thứ hạng", "en": "same rank"},
    "score_up": {"vi": "tăng {amount}", "en": "up {amount}"},
    "score_down": {"vi": "giảm {amount}", "en": "down {amount}"},
    "score_same": {"vi": "không đổi", "en": "unchanged"},
    "rank_at_most": {"vi": "hạng {comparison}", "en": "rank {comparison}"},
    "in_band": {"vi": "thuộc nhóm {band}", "en": "in the {band} group"},
    # ------------------------------------------------------------ indices
    "index.PAR": {"vi": "Chỉ số CCHC (PAR INDEX)", "en": "PAR INDEX"},
    "index.SIPAS": {"vi": "Chỉ số hài lòng SIPAS", "en": "SIPAS satisfaction index"},
    "index.PAPI": {"vi": "Chỉ số PAPI", "en": "PAPI"},
    "index.PCI": {"vi": "Chỉ số năng lực cạnh tranh PCI", "en": "PCI competitiveness index"},
    "index.DTI": {"vi": "Chỉ số chuyển đổi số DTI", "en": "DTI digital transformation index"},
    # the name a headline sentence starts with
    "index_short.PAR": {"vi": "Chỉ số CCHC", "en": "PAR INDEX"},
    "index_short.SIPAS": {"vi": "Chỉ số SIPAS", "en": "SIPAS satisfaction index"},
    "index_short.PAPI": {"vi": "Chỉ số PAPI", "en": "PAPI"},
    "index_short.PCI": {"vi": "Chỉ số PCI", "en": "PCI competitiveness index"},
    "index_short.DTI": {"vi": "Chỉ số DTI", "en": "DTI digital transformation index"},
    # ------------------------------------------------------------ methods changed (metrics.METHOD_BREAKS)
    "break.PAR.2016": {
        "vi": "Bộ chỉ số sửa đổi (QĐ 4361/QĐ-BNV); điểm trung bình cả nước giảm từ 85,11% (2015) xuống 74,64%",
        "en": "Revised criteria (QĐ 4361/QĐ-BNV); national mean fell from 85.11% (2015) to 74.64%",
    },
    "break.PAR.2020": {
        "vi": "Bộ chỉ số mới cấp tỉnh: 8 lĩnh vực, 43 tiêu chí (QĐ 1150/QĐ-BNV)",
        "en": "New provincial criteria: 8 areas, 43 criteria (QĐ 1150/QĐ-BNV)",
    },
    "break.PAR.2022": {
        "vi": "Đề án Chỉ số CCHC giai đoạn 2022–2030 (QĐ 876/QĐ-BNV)",
        "en": "PAR INDEX scheme 2022–2030 (QĐ 876/QĐ-BNV)",
    },
    "break.PAPI.2018": {
        "vi": "Thêm 2 chỉ số nội dung (quản trị môi trường, quản trị điện tử): thang điểm tổng từ 60 lên 80",
        "en": "Two dimensions added (environmental and e-governance): total scale from 60 to 80",
    },
    "break.DTI.2024": {
        "vi": "Bộ chỉ số DTI mới (8 chỉ số chính); năm 2024 tính cho cả 63 tỉnh cũ và 34 đơn vị mới",
        "en": "New DTI framework (8 main indices); 2024 computed for both the 63 old and the 34 new units",
    },
    "break_note": {"vi": "phương pháp thay đổi từ năm {year}: {why}", "en": "method changed in {year}: {why}"},
    "break_warning": {
        "vi": "Thay đổi phương pháp năm {year}: {why}. So sánh trước và sau năm {year} cần thận trọng.",
        "en": "Method change in {year}: {why}. Compare across {year} with care.",
    },
    # ------------------------------------------------------------ rank stability (metrics.rank_stability)
    "stability.steady_up": {"vi": "thứ hạng cải thiện đều qua các năm", "en": "the rank improved steadily"},
    "stability.steady_down": {"vi": "thứ hạng giảm liên tục qua các năm", "en": "the rank fell year after year"},
    "stability.stable": {
        "vi": "thứ hạng ổn định (thay đổi không quá 2 bậc mỗi năm)",
        "en": "the rank was stable (at most 2 places a year)",
    },
    "stability.unstable": {"vi": "thứ hạng tăng giảm không ổn định", "en": "the rank went up and down: unstable"},
    "stability.too_short": {
        "vi": "chưa đủ số liệu (cần ít nhất 3 năm) để đánh giá xu hướng",
        "en": "too few years (at least 3 needed) to judge the trend",
    },
    "trend": {"vi": "Xu hướng: {sentence}.", "en": "Trend: {sentence}."},
    "trend_ranks": {"vi": "Xu hướng: {sentence} — thứ hạng: {ranks}.", "en": "Trend: {sentence} — ranks: {ranks}."},
    # ------------------------------------------------------------ target status
    "status.met": {"vi": "Đã đạt", "en": "Met"},
    "status.on_track": {"vi": "Đúng tiến độ", "en": "On track"},  # the trend reaches it by the deadline
    "status.off_track": {"vi": "Chậm tiến độ", "en": "Off track"},  # the trend does not (deadline ahead)
    "status.not_met": {"vi": "Không đạt", "en": "Not met"},  # the deadline has passed
    "status.no_data": {"vi": "Chưa có số liệu", "en": "No figure yet"},  # measurable; no figure in the data
    "status.not_measurable": {"vi": "Không đo được", "en": "Not measurable"},  # no published figure measures it
    # the index has a recent figure, but not what the target is set on (a band, a score): not guessed
    "status.unjudged": {"vi": "Chưa đánh giá được", "en": "Cannot be judged"},
    "status_count": {"vi": "{status}: {n}", "en": "{status}: {n}"},
    # ------------------------------------------------------------ target metrics (schema.TARGET_METRICS)
    "metric.par_rank": {"vi": "Thứ hạng Chỉ số CCHC (PAR INDEX)", "en": "PAR INDEX rank"},
    "metric.par_score": {"vi": "Điểm Chỉ số CCHC (PAR INDEX)", "en": "PAR INDEX score"},
    "metric.sipas_score": {"vi": "Chỉ số hài lòng SIPAS", "en": "SIPAS satisfaction"},
    "metric.pci_rank": {"vi": "Thứ hạng PCI", "en": "PCI rank"},
    "metric.pci_band": {"vi": "Nhóm xếp hạng PCI", "en": "PCI band"},
    "metric.papi_band": {"vi": "Nhóm xếp hạng PAPI", "en": "PAPI band"},
    "metric.dti_rank": {"vi": "Thứ hạng DTI", "en": "DTI rank"},
    "metric.tthc_on_time_rate": {
        "vi": "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn",
        "en": "Dossiers resolved early or on time",
    },
    "metric.tthc_online_dossier_share": {
        "vi": "Tỷ lệ hồ sơ giải quyết trực tuyến",
        "en": "Share of dossiers handled online",
    },
    "metric.tthc_full_online_dossier_share": {
        "vi": "Tỷ lệ hồ sơ trực tuyến toàn trình (mức độ 4)",
        "en": "Share of dossiers handled fully online",
    },
    "metric.tthc_apology_share": {
        "vi": "Tỷ lệ hồ sơ quá hạn có thư xin lỗi",
        "en": "Late dossiers with an apology letter",
    },
    "metric.tthc_online_services_share": {
        "vi": "Tỷ lệ TTHC cung cấp trực tuyến mức độ 3, 4",
        "en": "Procedures offered online (level 3-4)",
    },
    "metric.tthc_national_portal_share": {
        "vi": "Tỷ lệ TTHC tích hợp trên Cổng DVC quốc gia",
        "en": "Procedures on the national public-service portal",
    },
    "metric.tthc_portal_update_share": {
        "vi": "Tỷ lệ hồ sơ cập nhật lên hệ thống một cửa điện tử",
        "en": "Dossiers entered in the e-one-stop system",
    },
    "metric.satisfaction_services": {
        "vi": "Mức độ hài lòng về dịch vụ hành chính công",
        "en": "Satisfaction with public services",
    },
    "metric.satisfaction_land_construction_investment": {
        "vi": "Mức độ hài lòng về TTHC đất đai, xây dựng, đầu tư",
        "en": "Satisfaction with land, construction and investment procedures",
    },
    "metric.satisfaction_health_education": {
        "vi": "Mức độ hài lòng về y tế, giáo dục công lập",
        "en": "Satisfaction with public health and education",
    },
    "metric.legal_documents_quality": {
        "vi": "Tỷ lệ văn bản QPPL ban hành đảm bảo chất lượng, đúng tiến độ",
        "en": "Legal documents issued on time and to standard",
    },
    "metric.self_financing_units_share": {
        "vi": "Tỷ lệ đơn vị sự nghiệp tự bảo đảm chi thường xuyên",
        "en": "Public service units covering their running costs",
    },
    "metric.digital_inspections_share": {
        "vi": "Tỷ lệ hoạt động kiểm tra thực hiện qua môi trường số",
        "en": "Inspections done through digital systems",
    },
    "metric.public_units_reduction": {
        "vi": "Giảm số đơn vị sự nghiệp công lập so với 2021",
        "en": "Cut in public service units vs 2021",
    },
    "metric.civil_servant_reduction": {
        "vi": "Giảm biên chế công chức so với 2021",
        "en": "Cut in civil-servant posts vs 2021",
    },
    "metric.public_service_staff_reduction": {
        "vi": "Giảm biên chế sự nghiệp hưởng lương ngân sách so với 2021",
        "en": "Cut in state-paid public-service posts vs 2021",
    },
    "metric.economic_units_converted_share": {
        "vi": "Tỷ lệ đơn vị sự nghiệp kinh tế, sự nghiệp khác đủ điều kiện hoàn thành chuyển đổi",
        "en": "Eligible economic and other service units converted",
    },
    "metric.integrated_governance_share": {
        "vi": "Tỷ lệ hoạt động chỉ đạo, điều hành, quản trị nội bộ trên nền tảng quản trị tổng thể",
        "en": "Direction and internal management on one integrated platform",
    },
    "metric.mobile_online_services_share": {
        "vi": "Tỷ lệ dịch vụ công trực tuyến mức độ 4 cung cấp trên nhiều phương tiện, cả di động",
        "en": "Level-4 online services offered on several devices, mobile included",
    },
    "metric.tthc_digitised_dossier_share": {
        "vi": "Hồ sơ TTHC đã giải quyết được số hóa, tái sử dụng",
        "en": "Resolved dossiers digitised for reuse",
    },
    "metric.legal_documents_implemented_share": {
        "vi": "Tỷ lệ văn bản pháp luật được triển khai kịp thời, đúng quy định",
        "en": "Legal documents implemented on time and as required",
    },
    "metric.tthc_time_cut_review_share": {
        "vi": "Tỷ lệ TTHC có thể rút ngắn thời gian được rà soát, cắt giảm",
        "en": "Procedures whose time can be shortened reviewed and cut",
    },
    "metric.tthc_backlog": {"vi": "Hồ sơ tồn đọng", "en": "Backlogged dossiers"},
    # ------------------------------------------------------------ TTHC rates and counts
    "rate.on_time_rate": {"vi": "Tỷ lệ giải quyết trước hạn, đúng hạn", "en": "Resolved early or on time"},
    "rate.late_rate": {"vi": "Tỷ lệ giải quyết trễ hạn", "en": "Resolved late"},
    "rate.full_online_share": {"vi": "Tỷ lệ hồ sơ trực tuyến toàn trình", "en": "Fully online dossiers"},
    "rate.online_share": {
        "vi": "Tỷ lệ hồ sơ trực tuyến (toàn trình và một phần)",
        "en": "Online dossiers (full and partial)",
    },
    "rate.pending_overdue_share": {"vi": "Hồ sơ đang giải quyết quá hạn", "en": "Pending dossiers overdue"},
    "rate.apology_share": {"vi": "Hồ sơ trễ hạn có thư xin lỗi", "en": "Late dossiers with an apology"},
    "denominator.on_time_rate": {"vi": "trên {n} hồ sơ đã giải quyết", "en": "of {n} dossiers resolved"},
    "denominator.late_rate": {"vi": "trên {n} hồ sơ đã giải quyết", "en": "of {n} dossiers resolved"},
    "denominator.full_online_share": {
        "vi": "trên {n} hồ sơ mới tiếp nhận trong kỳ",
        "en": "of {n} dossiers newly received",
    },
    "denominator.online_share": {"vi": "trên {n} hồ sơ mới tiếp nhận trong kỳ", "en": "of {n} dossiers newly received"},
    "denominator.apology_share": {"vi": "trên {n} hồ sơ giải quyết trễ hạn", "en": "of {n} dossiers resolved late"},
    "denominator.pending_overdue_share": {"vi": "trên {n} hồ sơ đang giải quyết", "en": "of {n} dossiers pending"},
    "count.received_total": {"vi": "Tổng số hồ sơ tiếp nhận", "en": "Total dossiers"},
    "count.carried_over": {"vi": "Kỳ trước chuyển qua", "en": "Carried over"},
    "count.received_new": {"vi": "Mới tiếp nhận trong kỳ", "en": "Newly received"},
    "count.received_online_full": {"vi": "Trực tuyến toàn trình", "en": "Fully online"},
    "count.received_online_partial": {"vi": "Trực tuyến một phần", "en": "Partly online"},
    "count.resolved_total": {"vi": "Đã giải quyết", "en": "Resolved"},
    "count.resolved_early_ontime": {"vi": "Giải quyết trước hạn, đúng hạn", "en": "Resolved early or on time"},
    "count.resolved_late": {"vi": "Giải quyết trễ hạn", "en": "Resolved late"},
    "count.pending_total": {"vi": "Đang giải quyết", "en": "Pending"},
    "count.pending_within": {"vi": "Đang giải quyết trong hạn", "en": "Pending within deadline"},
    "count.pending_overdue": {"vi": "Đang giải quyết quá hạn", "en": "Pending overdue"},
    "count.returned_withdrawn": {"vi": "Trả lại, rút hồ sơ", "en": "Returned or withdrawn"},
    "count.apology_letters": {"vi": "Thư xin lỗi", "en": "Apology letters"},
    "count_with_value": {"vi": "{what} ({n})", "en": "{what} ({n})"},
    "tthc_mismatch": {
        "vi": "Số liệu báo cáo không khớp: {parts} = {sum}, khác {total}; chênh lệch {difference} hồ sơ. "
        "Số liệu được giữ nguyên như báo cáo.",
        "en": "Reported totals do not add up: {parts} = {sum}, not {total}; difference {difference}. "
        "Shown as reported.",
    },
    "labelled": {"vi": "{label}: {text}", "en": "{label}: {text}"},
    # ------------------------------------------------------------ levels inside a province
    "level.department": {"vi": "Sở, ban, ngành", "en": "Departments"},
    "level.district": {"vi": "Huyện, thị xã, thành phố", "en": "Districts"},
    "level.commune": {"vi": "Xã, phường", "en": "Communes"},
    # ------------------------------------------------------------ headline sentence
    "headline.title": {"vi": "{name} năm {year}", "en": "{name} {year}"},
    "headline.level": {"vi": "{title} đạt {score}", "en": "{title}: {score}"},
    "headline.change": {"vi": "{level}, {change} so với năm {prev}", "en": "{level}, {change} on {prev}"},
    "headline.rank": {"vi": "xếp thứ {rank}", "en": "ranked {rank}"},
    "headline.rank_only": {"vi": "{title} {rank}", "en": "{title}: {rank}"},
    "headline.rank_change": {"vi": "{rank}, {change}", "en": "{rank}, {change}"},
    "headline.rank_change_since": {"vi": "{rank}, {change} so với năm {prev}", "en": "{rank}, {change} on {prev}"},
    "headline.notes": {"vi": "({notes})", "en": "({notes})"},
    # ------------------------------------------------------------ computed ranks and means
    "years_counted": {"vi": "năm {years}", "en": "in {years}"},
    "year_count": {"vi": "{year} ({n} tỉnh)", "en": "{year} ({n} provinces)"},
    "computed_rank_method": {
        "vi": "Thứ hạng ghi “tính” được tính từ bảng điểm đầy đủ của các tỉnh được xếp hạng {years}, không phải thứ "
        "hạng công bố: xếp theo điểm ở độ chính xác được công bố. Các tỉnh bằng điểm ở số chữ số được công bố "
        "được ghi khoảng hạng (vd. 31–32): nơi công bố xếp họ theo số lẻ không in ra; hạng công bố của một tỉnh "
        "trong nhóm được giữ và không tính vào khoảng của các tỉnh còn lại.",
        "en": "Ranks marked “computed” come from the complete table of the provinces ranked {years}, not from a "
        "published ranking: ordered by score at the published precision. Provinces with the same printed score "
        "are given the range of places they share (e.g. 31–32): the publisher ordered them by decimals it did "
        "not print; a published rank of one of them is kept and left out of the others' range.",
    },
    "computed_rank_again": {
        "vi": "Thứ hạng ghi “tính” (cách tính như trên): {years}.",
        "en": "Ranks marked “computed” (made as above): {years}.",
    },
    "computed_mean_again": {
        "vi": "Điểm trung bình ghi “tính” (cách tính như trên): {years}.",
        "en": "Means marked “computed” (made as above): {years}.",
    },
    "computed_mean_method": {
        "vi": "Điểm trung bình ghi “tính” là trung bình cộng điểm của các tỉnh được xếp hạng {years}, vùng theo danh "
        "mục tỉnh; tính từ bảng điểm đầy đủ, không phải số công bố.",
        "en": "Means marked “computed” are the simple average of the provinces ranked {years}, regions as in the "
        "province registry; computed from the complete table, not published figures.",
    },
    "mean_scope.national": {"vi": "cả nước", "en": "national"},
    "mean_scope.region": {"vi": "vùng {region}", "en": "{region}"},
    "mean_replaced.median": {
        "vi": "Trung bình {scope} của {index} năm {year} là {mean}, tính từ bảng điểm đầy đủ của {n} tỉnh. Con số "
        "{published} mà nguồn công bố gọi là trung bình thực ra là trung vị của bảng này (điểm của tỉnh đứng "
        "giữa), nên không được dùng làm trung bình.",
        "en": "The {scope} mean of {index} {year} is {mean}, computed from the complete table of {n} provinces. The "
        "figure {published} that a source called the mean is that table's median (the score of the province "
        "in the middle), so it is not used as the mean.",
    },
    "mean_replaced.disagrees": {
        "vi": "Trung bình {scope} của {index} năm {year} là {mean}, tính từ bảng điểm đầy đủ của {n} tỉnh. Con số "
        "{published} được công bố lệch khỏi trung bình của bảng này nhiều hơn sai số làm tròn, nên dùng trung "
        "bình của bảng.",
        "en": "The {scope} mean of {index} {year} is {mean}, computed from the complete table of {n} provinces. The "
        "published {published} differs from that table's mean by more than rounding, so the table's mean is "
        "used.",
    },
    "overview.means_weighted_mismatch": {
        "vi": "{index} năm {year}: trung bình của các vùng tính theo số tỉnh mỗi vùng là {weighted}, trung bình cả "
        "nước công bố là {national}; hai số chênh nhau nhiều hơn sai số làm tròn. Chưa có bảng điểm đầy đủ để "
        "kiểm tra, nên cả hai được ghi đúng như công bố.",
        "en": "{index} {year}: the regional means weighted by each region's number of provinces give {weighted}, the "
        "published national mean is {national}; they differ by more than rounding. No complete table exists "
        "to check them, so both are shown as published.",
    },
    "computed_rank_note": {
        "vi": "thứ hạng tính từ bảng điểm đầy đủ của {n} tỉnh được xếp hạng năm {year}, không phải thứ hạng công bố; "
        "tỉnh bằng điểm (ở số chữ số được công bố) được ghi khoảng hạng, vd. 31–32",
        "en": "rank computed from the complete table of the {n} provinces ranked in {year}, not a published rank; "
        "provinces with the same printed score are given the range of places they share, e.g. 31–32",
    },
    "partial_table": {
        "vi": "Bảng {name} năm {year} trong bộ dữ liệu chưa đầy đủ: có điểm của {scored}/{units} tỉnh, thứ hạng công "
        "bố của {ranked}/{units} tỉnh; thứ hạng và điểm trung bình năm {year} ở đây là số được công bố, không "
        "tính từ bảng này.",
        "en": "The {year} {name} table in the data is partial: scores of {scored}/{units} provinces, published ranks "
        "of {ranked}/{units}; the {year} rank and means shown here are published figures, not computed from it.",
    },
    # ------------------------------------------------------------ province report: title and sections
    "title": {"vi": "{report}: {name} — năm {year}", "en": "{report}: {name} — year {year}"},
    "title.new_unit": {
        "vi": "Đơn vị hành chính cấp tỉnh từ 1/7/2025 (Nghị quyết 202/2025/QH15), hình thành từ {predecessors}.",
        "en": "Province-level unit from 1 July 2025 (Resolution 202/2025/QH15), formed from {predecessors}.",
    },
    "title.region_derived": {
        "vi": "Vùng suy ra, không phải vùng được công bố: chưa có danh sách chính thức xếp các đơn vị mới vào 6 vùng "
        "kinh tế – xã hội (Nghị quyết 81/2023/QH15 xếp 63 tỉnh cũ); báo cáo lấy vùng của {seat}, tỉnh cũ có mã "
        "mà đơn vị giữ lại (nơi đặt trụ sở, Quyết định 19/2025/QĐ-TTg).",
        "en": "A derived region, not a published one: no official list places the new units in the six "
        "socio-economic regions (Resolution 81/2023/QH15 lists the 63 old provinces); this report takes the "
        "region of {seat}, the old province whose code the unit keeps (its seat, Decision 19/2025/QĐ-TTg).",
    },
    "title.regions_straddled": {
        "vi": "Các tỉnh hợp thành thuộc {n} vùng: {regions}.",
        "en": "Its former provinces lay in {n} regions: {regions}.",
    },
    # {names}: the province and the others merged with it, listed as the language lists (narrative.fmt_list)
    "title.merged": {
        "vi": "Ngày 1/7/2025, {names} hợp nhất thành {new} (Nghị quyết 202/2025/QH15).",
        "en": "On 1 July 2025 {names} merged into {new} (Resolution 202/2025/QH15).",
    },
    "headline.none": {"vi": "chỉ số nào năm {year}", "en": "for any index in {year}"},
    "history.none": {"vi": "về diễn biến các chỉ số", "en": "on the history of the indices"},
    "history.of_unit": {"vi": "{index} — {unit}", "en": "{index} — {unit}"},
    "history.chart": {
        "vi": "Biểu đồ điểm và thứ hạng {index} của {unit} qua các năm",
        "en": "Chart of {unit}'s {index} score and rank by year",
    },
    "history.predecessors": {"vi": "{index} — các tỉnh trước sáp nhập", "en": "{index} — the former provinces"},
    "history.predecessors_chart": {
        "vi": "Biểu đồ {index} của {names} (trước sáp nhập) trên cùng trục",
        "en": "Chart of {index} for {names} (before the merger) on the same axes",
    },
    "components.none": {
        "vi": "về các lĩnh vực của Chỉ số CCHC năm {year}",
        "en": "on the PAR INDEX component areas in {year}",
    },
    "components.chart": {
        "vi": "Biểu đồ tỷ lệ điểm đạt của từng lĩnh vực",
        "en": "Chart of each area's share of its maximum",
    },
    "components.latest_year": {
        "vi": "Chưa có số liệu các lĩnh vực của Chỉ số CCHC năm {year}; dưới đây là số liệu năm {shown}, năm gần "
        "nhất có số liệu.",
        "en": "No PAR INDEX area figures for {year}; shown below: {shown}, the latest year with figures.",
    },
    "components.parts_note": {
        "vi": "{parts}: phần điểm tổng hợp, không phải lĩnh vực; không đưa vào biểu đồ.",
        "en": "{parts}: parts of the total score, not areas; left out of the chart.",
    },
    "components.area_rank": {"vi": "{area} ({rank})", "en": "{area} ({rank})"},
    "components.in_year": {"vi": "Năm {year}: {sentence}", "en": "In {year}: {sentence}"},
    "components.by_rank": {
        "vi": "Lĩnh vực xếp hạng cao nhất: {best}; thấp nhất: {worst}.",
        "en": "Areas ranked highest: {best}; lowest: {worst}.",
    },
    "components.gain": {"vi": "Cải thiện nhiều nhất: {area} ({change}).", "en": "Biggest gain: {area} ({change})."},
    "components.fall": {"vi": "Giảm nhiều nhất: {area} ({change}).", "en": "Biggest fall: {area} ({change})."},
    "targets.none": {"vi": "về mục tiêu (nghị quyết, kế hoạch) của tỉnh", "en": "on the province's targets"},
    "targets.chart": {
        "vi": "Biểu đồ giá trị thực hiện so với mục tiêu",
        "en": "Chart of latest values against targets",
    },
    "targets.no_chart": {
        "vi": "Chưa có mục tiêu nào có số liệu thực hiện để vẽ biểu đồ.",
        "en": "No target has a measured value to chart yet.",
    },
    "targets.document": {"vi": "{document} ({date})", "en": "{document} ({date})"},
    "targets.latest": {"vi": "{value} ({year})", "en": "{value} ({year})"},
    # the path to a target: the change a year needed against the recent trend (metrics.target_progress)
    "label.path": {"vi": "Cần mỗi năm / xu hướng", "en": "Needed a year / trend"},
    "targets.path": {"vi": "cần: {required}; xu hướng: {trend}", "en": "needed: {required}; trend: {trend}"},
    "targets.path.no_trend": {
        "vi": "cần: {required}; chưa có xu hướng (một năm số liệu)",
        "en": "needed: {required}; no trend yet (one year of figures)",
    },
    "targets.per_year": {"vi": "{change}/năm", "en": "{change} a year"},
    "targets.path.met": {"vi": "đã đạt", "en": "reached"},
    "targets.path.not_met": {"vi": "đã đến hạn {deadline}", "en": "deadline {deadline} passed"},
    "targets.change.rank_up": {"vi": "tăng {n} bậc", "en": "up {n} places"},
    "targets.change.rank_up_one": {"vi": "tăng 1 bậc", "en": "up 1 place"},
    "targets.change.rank_down_one": {"vi": "giảm 1 bậc", "en": "down 1 place"},
    "targets.change.band_up_one": {"vi": "lên 1 nhóm", "en": "up 1 band"},
    "targets.change.band_down_one": {"vi": "xuống 1 nhóm", "en": "down 1 band"},
    "targets.change.rank_down": {"vi": "giảm {n} bậc", "en": "down {n} places"},
    "targets.change.band_up": {"vi": "lên {n} nhóm", "en": "up {n} bands"},
    "targets.change.band_down": {"vi": "xuống {n} nhóm", "en": "down {n} bands"},
    "targets.change.points": {"vi": "{n} điểm %", "en": "{n} points"},
    "targets.change.none": {"vi": "không đổi", "en": "no change"},
    "targets.why.not_measurable": {
        "vi": "Không có số liệu công bố nào trong dữ liệu đo chỉ tiêu này.",
        "en": "No published figure in the data measures this target.",
    },
    "targets.why.no_figure": {
        "vi": "đo bằng {measure}: chưa có số liệu của tỉnh đến năm {year}",
        "en": "measured by {measure}: no figure for the province up to {year}",
    },
    "targets.why.stale": {
        "vi": "số liệu gần nhất ({actual_year}) đã quá cũ để đánh giá",
        "en": "the latest figure ({actual_year}) is too old to judge the target",
    },
    "targets.why.no_band.PCI": {
        "vi": "số liệu không có nhóm xếp hạng PCI nào của VCCI sau năm {band_year} (nhóm năm {band_year}: {band}); "
        "không suy ra nhóm từ điểm hay thứ hạng",
        "en": "the figures hold no VCCI PCI group after {band_year} ({band_year}: {band}); the group is not "
        "inferred from the score or rank",
    },
    "targets.why.no_band.PCI.none": {
        "vi": "số liệu không có nhóm xếp hạng PCI nào của VCCI cho tỉnh; không suy ra nhóm từ điểm hay thứ hạng",
        "en": "the figures hold no VCCI PCI group for the province; the group is not inferred from the score or rank",
    },
    "targets.why.no_band.PAPI": {
        "vi": "nhóm PAPI chỉ tính được từ bảng đủ các tỉnh; chưa có bảng đủ sau năm {band_year} (nhóm năm "
        "{band_year}: {band})",
        "en": "the PAPI group is computed only from a complete table of the provinces; none after {band_year} "
        "({band_year}: {band})",
    },
    "targets.why.no_band.PAPI.none": {
        "vi": "nhóm PAPI chỉ tính được từ bảng đủ các tỉnh; chưa có bảng đủ của năm có số liệu",
        "en": "the PAPI group is computed only from a complete table of the provinces; the years with a figure "
        "have none",
    },
    "targets.why.agency_only": {
        "vi": "đo bằng {measure}: chưa có số liệu của tỉnh đến năm {year}; chỉ có số liệu của {agencies}, không "
        "dùng để đánh giá mục tiêu của tỉnh",
        "en": "measured by {measure}: no figure for the province up to {year}; only {agencies}'s figures, which do "
        "not measure the province's target",
    },
    "targets.why.no_score": {
        "vi": "chỉ có thứ hạng {index} (năm {year}); mục tiêu đặt theo điểm, chưa có điểm của tỉnh",
        "en": "only the {index} rank is known ({year}); the target is set on the score, which is not",
    },
    "targets.why.no_rank": {
        "vi": "chỉ có điểm {index} (năm {year}); mục tiêu đặt theo thứ hạng, chưa có thứ hạng của tỉnh",
        "en": "only the {index} score is known ({year}); the target is set on the rank, which is not",
    },
    "targets.figure_rank": {"vi": "hạng {rank}", "en": "rank {rank}"},
    "target_unit.dossiers": {"vi": "hồ sơ", "en": "dossiers"},
    "targets.measure.TTHC": {
        "vi": "số liệu giải quyết hồ sơ TTHC toàn tỉnh",
        "en": "province-wide TTHC dossier counts",
    },
    "targets.measure.band.PAPI": {"vi": "nhóm PAPI", "en": "the PAPI group"},
    "targets.measure.band.PCI": {"vi": "nhóm xếp hạng PCI do VCCI công bố", "en": "VCCI's published PCI group"},
    "targets.wording": {"vi": "Nguyên văn các mục tiêu trên:", "en": "The targets above as the document words them:"},
    "targets.not_measurable_intro": {
        "vi": "Không đo được ({n} mục tiêu): không có số liệu công bố nào trong dữ liệu đo các chỉ tiêu này.",
        "en": "Not measurable ({n} targets): no published figure in the data measures these.",
    },
    "targets.not_measurable_item": {
        "vi": "{label}: {target} đến năm {deadline}",
        "en": "{label}: {target} by {deadline}",
    },
    "targets.document_once": {"vi": "Văn bản: {document}.", "en": "Document: {document}."},
    "targets.method": {
        "vi": "Cách đánh giá: «Đúng tiến độ» khi giữ xu hướng gần đây (mức thay đổi trung bình mỗi năm qua "
        "tối đa ba năm có số liệu) thì đạt mục tiêu trước thời hạn; «Chậm tiến độ» khi không; «Không đạt» "
        "khi đã đến hạn mà chưa đạt; «Chưa có số liệu» khi chỉ tiêu đo được nhưng dữ liệu chưa có số liệu "
        "của tỉnh; «Chưa đánh giá được» khi có số liệu gần đây của chỉ số nhưng không có đúng giá trị mục "
        "tiêu đặt ra (nhóm xếp hạng, điểm): nêu số liệu gần nhất, không suy ra giá trị đó; «Không đo được» "
        "khi không có số liệu công bố nào đo chỉ tiêu.",
        "en": "How targets are judged: on track when the recent trend (average change a year over at most the "
        "last three years with figures) reaches the target by the deadline; off track when it does not; "
        "not met once the deadline has passed; no figure yet when the target is measurable but the data "
        "hold no figure for the province; cannot be judged when the index has a recent figure but not what "
        "the target is set on (a group, a score): the latest figure is shown and that value is not "
        "inferred from it; not measurable when no published figure measures it.",
    },
    # said only when a target is a PAPI group
    "targets.method.papi_band": {
        "vi": "Nhóm PAPI tính theo tứ phân vị điểm PAPI của các tỉnh trong năm (Cao nhất, Trung bình cao, Trung bình "
        "thấp, Thấp nhất); đạt nhóm mục tiêu hoặc nhóm cao hơn là đạt.",
        "en": "The PAPI group is the quartile of the year's PAPI scores (Highest, High average, Low average, "
        "Lowest); the target group or a better one meets the target.",
    },
    "plan.heading": {"vi": "Thực hiện kế hoạch CCHC năm {year}", "en": "Reform plan execution in {year}"},
    "plan.none": {
        "vi": "Chưa có số liệu công bố về tỷ lệ hoàn thành nhiệm vụ kế hoạch CCHC năm {year}.",
        "en": "No published figure on the share of the {year} reform plan's tasks completed.",
    },
    "plan.done": {"vi": "Nhiệm vụ hoàn thành/kế hoạch", "en": "Tasks completed/planned"},
    "plan.share": {"vi": "Tỷ lệ hoàn thành", "en": "Share completed"},
    "plan.as_of": {"vi": "Tính đến ngày", "en": "As of"},
    "plan.origin": {"vi": "Nguồn gốc số liệu", "en": "Origin of the figure"},
    "plan.origin.published": {"vi": "Số liệu công bố", "en": "Published"},
    "plan.origin.user": {"vi": "Số liệu do người dùng nhập", "en": "Entered by the user"},
    "plan.user_note": {
        "vi": "«Số liệu do người dùng nhập»: số liệu do người lập báo cáo tự nhập, không phải số "
        "liệu công bố; nguồn ghi theo người nhập.",
        "en": "“Entered by the user”: a figure the report's author entered, not a published one; "
        "the source is as the author gave it.",
    },
    "label.agency": {"vi": "Cơ quan", "en": "Agency"},
    "label.plan": {"vi": "Kế hoạch", "en": "Plan"},
    "tthc.none": {"vi": "về giải quyết TTHC năm {year}", "en": "on TTHC processing in {year}"},
    "tthc.agency": {"vi": "{agency} ({start}–{end})", "en": "{agency} ({start}–{end})"},
    "tthc.chart": {
        "vi": "Biểu đồ số hồ sơ của {owner} theo tình trạng giải quyết",
        "en": "Chart of {owner}'s dossiers by stage",
    },
    # whose dossiers a record counts (metrics.tthc_scope): a department's are never the province's
    "tthc.scope.province": {"vi": "Toàn tỉnh {province}", "en": "{province} (whole province)"},
    "tthc.scope.department": {"vi": "{agency} (một sở, ngành)", "en": "{agency} (one department)"},
    "tthc.scope.district": {"vi": "{agency} (một huyện)", "en": "{agency} (one district)"},
    "tthc.scope.commune": {"vi": "{agency} (một xã)", "en": "{agency} (one commune)"},
    "tthc.scope.agency": {"vi": "{agency} (một cơ quan, đơn vị)", "en": "{agency} (one agency)"},
    "tthc.whole_province": {"vi": "toàn tỉnh {province}", "en": "{province} as a whole"},
    "tthc.no_province": {
        "vi": "Chưa có số liệu giải quyết TTHC của toàn tỉnh {province} năm {year}; dưới đây chỉ có số liệu của "
        "từng cơ quan, đơn vị, không thay cho số liệu của tỉnh.",
        "en": "No TTHC processing figures for {province} as a whole in {year}; below are only the figures of "
        "single agencies, which do not stand for the province.",
    },
    "tthc.not_province": {
        "vi": "Các số liệu dưới đây là của riêng {agency}, không phải của toàn tỉnh {province}.",
        "en": "The figures below are {agency}'s own, not those of {province} as a whole.",
    },
    "tthc.no_rates": {"vi": "Số liệu báo cáo không đủ để tính tỷ lệ nào.", "en": "The reported counts give no rate."},
    "label.dossiers_reported_of": {
        "vi": "Số hồ sơ của {owner} (như báo cáo)",
        "en": "{owner}'s dossiers (as reported)",
    },
    "plan.none_province": {
        "vi": "Chưa có số liệu công bố về tỷ lệ hoàn thành nhiệm vụ kế hoạch CCHC năm {year} của toàn tỉnh {province}.",
        "en": "No figure has been published on the share of the province's {year} reform-plan tasks completed "
        "({province} as a whole).",
    },
    "plan.agency_done": {
        "vi": "{agency} hoàn thành {completed}/{planned} nhiệm vụ theo kế hoạch CCHC năm {year} của chính đơn vị "
        "({share}){as_of}: số liệu của riêng {agency}, không phải của toàn tỉnh.",
        "en": "{agency} completed {completed} of {planned} tasks of its own {year} reform plan ({share}){as_of}: "
        "the figure of {agency} alone, not of the province.",
    },
    "plan.province_done": {
        "vi": "Tỉnh {province} hoàn thành {completed}/{planned} nhiệm vụ kế hoạch CCHC năm {year} ({share}){as_of}.",
        "en": "{province} completed {completed} of {planned} tasks of its {year} reform plan ({share}){as_of}.",
    },
    "plan.as_of_text": {"vi": ", tính đến {date}", "en": ", as of {date}"},
    "rankings.none": {
        "vi": "về xếp hạng sở, ngành, huyện năm {year}",
        "en": "on department and district rankings in {year}",
    },
    "rankings.chart": {"vi": "Biểu đồ điểm của các đơn vị", "en": "Chart of the units' scores"},
    "gaps.intro": {"vi": "Chưa có số liệu năm {year}:", "en": "Missing for {year}:"},
    "gaps.TTHC": {"vi": "số liệu giải quyết TTHC", "en": "TTHC processing figures"},
    "gaps.TTHC_province": {
        "vi": "số liệu giải quyết TTHC của toàn tỉnh (chỉ có số liệu của từng cơ quan, đơn vị)",
        "en": "TTHC processing figures of the province as a whole (only single agencies' figures)",
    },
    "gaps.unit_rankings": {"vi": "xếp hạng sở, ngành, huyện", "en": "department and district rankings"},
    "gaps.targets": {"vi": "mục tiêu của tỉnh", "en": "province targets"},
    "gaps.score": {"vi": "điểm", "en": "score"},
    "gaps.rank": {"vi": "thứ hạng", "en": "rank"},
    "gaps.score, rank": {"vi": "điểm và thứ hạng", "en": "score and rank"},
    "gaps.item": {"vi": "{index}: {what}", "en": "{index}: {what}"},
    "footer": {
        "vi": "Lập từ dữ liệu phiên bản {data}, phần mềm cchc {version}.",
        "en": "Made from data version {data} with cchc {version}.",
    },
    # ------------------------------------------------------------ national overview
    "overview.reports": {"vi": "Báo cáo từng tỉnh, thành phố:", "en": "Reports by province:"},
    "overview.reports_year": {"vi": "năm {year}", "en": "{year}"},
    "overview.reports_all": {"vi": "mọi năm", "en": "all years"},
    "overview.title": {
        "vi": "Tổng quan cải cách hành chính cả nước — năm {year}",
        "en": "National overview of administrative reform — year {year}",
    },
    "overview.intro": {
        "vi": "Thứ hạng và điểm trung bình là số được công bố; chỉ khi bảng điểm cả nước của năm đầy đủ mà thiếu số "
        "công bố thì chúng được tính từ bảng và ghi “tính”. Tỉnh chưa có số liệu được ghi rõ là thiếu.",
        "en": "Ranks and means are the published ones; only where a year’s national table is complete and no "
        "published figure exists are they computed from it, marked “computed”. Provinces without figures are "
        "listed as missing.",
    },
    "overview.no_year": {"vi": "Chưa có số liệu năm này.", "en": "No figures for this year."},
    "overview.caption": {"vi": "{index} {year}{scope}", "en": "{index} {year}{scope}"},
    "overview.no_means": {"vi": "Chưa có số liệu trung bình cho năm này.", "en": "No means for this year."},
    "overview.mean_of": {"vi": "tính: trung bình {n} tỉnh", "en": "computed: mean of {n} provinces"},
    "overview.no_movers": {
        "vi": "Chưa có tỉnh nào có thứ hạng cả năm {prev} và {year}.",
        "en": "No province has a rank in both {prev} and {year}.",
    },
    "overview.movers_note": {
        "vi": "Chỉ gồm {n} tỉnh có thứ hạng (công bố, hoặc tính từ bảng đầy đủ) cả hai năm.",
        "en": "Only the {n} provinces with a rank (published, or computed from a complete table) in both years.",
    },
    "overview.movers_unchanged": {
        "vi": "{n} tỉnh giữ nguyên thứ hạng, không liệt kê.",
        "en": "{n} provinces kept their rank and are not listed.",
    },
    "overview.no_change": {
        "vi": "Không tỉnh nào thay đổi thứ hạng giữa năm {prev} và {year}.",
        "en": "No province changed rank between {prev} and {year}.",
    },
    "overview.unranked_heading": {
        "vi": "{index} {year}: có điểm, chưa có thứ hạng",
        "en": "{index} {year}: scores without a rank",
    },
    "overview.unranked_why": {
        "vi": "{n} tỉnh có điểm nhưng chưa có thứ hạng: không có thứ hạng công bố, và bảng điểm năm {year} chưa "
        "đủ các tỉnh để tính thứ hạng. Sắp xếp theo điểm, không phải thứ hạng.",
        "en": "{n} provinces have a score but no rank: no rank was published, and the {year} table of scores "
        "is not complete, so no rank can be computed. Sorted by score; this is not a ranking.",
    },
    "overview.equal_means": {
        "vi": "{index} năm {year}: {regions} có cùng giá trị trung bình {score}, theo cùng một nguồn công bố. "
        "Đã kiểm tra: trung bình của các vùng tính theo số tỉnh mỗi vùng là {weighted}, {verdict}.",
        "en": "{index} {year}: {regions} have the same mean, {score}, in the same published source. Checked: "
        "the regional means weighted by each region's number of provinces give {weighted}, which {verdict}.",
    },
    "overview.means_consistent": {
        "vi": "khớp với trung bình cả nước công bố ({national})",
        "en": "matches the published national mean ({national})",
    },
    "overview.means_inconsistent": {
        "vi": "không khớp với trung bình cả nước công bố ({national}): cần kiểm tra lại",
        "en": "does not match the published national mean ({national}): to be re-checked",
    },
    "overview.means_unchecked": {
        "vi": "chưa kiểm tra được (thiếu trung bình cả nước hoặc một vùng)",
        "en": "could not be checked (the national mean or a region is missing)",
    },
    "and_word": {"vi": "và", "en": "and"},
    "overview.no_map": {
        "vi": "Chưa có số liệu năm {year} của chỉ số nào để tô màu bản đồ; bản đồ chỉ vẽ {n} đơn vị.",
        "en": "No index has figures for {year} yet to colour the map; the map only draws the {n} units.",
    },
    "overview.map_chart": {
        "vi": "Bản đồ {index} năm {year}: các tỉnh tô màu theo {method}",
        "en": "Map of {index} {year}: provinces coloured by {method}",
    },
    "overview.map_units_chart": {
        "vi": "Bản đồ {n} đơn vị hành chính cấp tỉnh",
        "en": "Map of the {n} provincial units",
    },
    "overview.map_by.quartile": {"vi": "nhóm 1/4 của thứ hạng", "en": "quarter of the ranking"},
    "overview.map_by.official": {"vi": "nhóm của Bộ Nội vụ", "en": "the ministry's group"},
    "overview.map_method.quartile": {
        "vi": "{index}: nhóm 1/4 theo thứ hạng trong bảng {n} tỉnh (thứ hạng công bố, hoặc tính từ bảng đầy đủ).",
        "en": "{index}: quarters of the ranking of {n} provinces (published ranks, or computed from a complete table).",
    },
    "overview.map_method.official": {
        "vi": "{index}: nhóm A (≥ 90%) và nhóm B (80% đến dưới 90%) của Bộ Nội vụ, theo điểm.",
        "en": "{index}: the ministry's group A (≥ 90%) and group B (80% to under 90%), by score.",
    },
    "overview.map_missing.quartile": {
        "vi": "Không có thứ hạng (gạch chéo), {n} tỉnh: {names}.",
        "en": "No rank (hatched), {n} provinces: {names}.",
    },
    "overview.map_missing.official": {
        "vi": "Không có điểm (gạch chéo), {n} tỉnh: {names}.",
        "en": "No score (hatched), {n} provinces: {names}.",
    },
    "overview.map_straddle": {
        "vi": "Thứ hạng là một khoảng vắt qua hai nhóm, không tô màu (gạch chéo): {names}.",
        "en": "Rank is a range across two quarters, not coloured (hatched): {names}.",
    },
    "overview.map_rose": {"vi": "▲ Tăng hạng nhiều nhất: {names}.", "en": "▲ Rose most: {names}."},
    "overview.map_fell": {"vi": "▼ Giảm hạng nhiều nhất: {names}.", "en": "▼ Fell most: {names}."},
    "map.missing": {"vi": "không có số liệu", "en": "no figure"},
    "map.missing.quartile": {"vi": "không có thứ hạng", "en": "no rank"},
    "map.missing.official": {"vi": "không có điểm", "en": "no score"},
    "map.rose": {"vi": "tăng hạng nhiều nhất", "en": "rose most"},
    "map.fell": {"vi": "giảm hạng nhiều nhất", "en": "fell most"},
    "map.under_b": {"vi": "dưới 80%", "en": "under 80%"},
    "map.others": {"vi": "tỉnh khác", "en": "other provinces"},
    "map.no_boundaries": {
        "vi": "Bộ dữ liệu của báo cáo không có ranh giới các tỉnh, nên báo cáo không vẽ bản đồ.",
        "en": "The report's data hold no provincial boundaries, so the report draws no map.",
    },
    "map.similar": {"vi": "tỉnh tương đồng", "en": "similar provinces"},
    # issue 23: the province report's small maps, one per index, and the portal's rows with figures
    "portal.figures_year": {"vi": "Số liệu năm", "en": "Figures of"},
    "portal.reports": {"vi": "Báo cáo các năm", "en": "Reports by year"},
    "map.index_maps_chart": {
        "vi": "Bản đồ nhóm của các tỉnh năm {year} theo từng chỉ số ({indices}); {name} được viền cam",
        "en": "Map of the provinces' groups in {year} by index ({indices}); {name} outlined in orange",
    },
    "map.panel.PAR": {"vi": "Chỉ số CCHC", "en": "PAR INDEX"},
    "map.panel.SIPAS": {"vi": "Chỉ số SIPAS", "en": "SIPAS"},
    "map.panel.PAPI": {"vi": "Chỉ số PAPI", "en": "PAPI"},
    "map.panel.PCI": {"vi": "Chỉ số PCI", "en": "PCI"},
    "map.panel.DTI": {"vi": "Chỉ số DTI", "en": "DTI"},
    "map.index_maps_predecessors": {
        "vi": "Năm {year} các bản đồ là của {n} tỉnh cũ: {name} được viền quanh các tỉnh đã hợp thành đơn vị này.",
        "en": "The {year} maps are of the {n} former provinces: {name} is outlined around the provinces it was "
        "formed from.",
    },
    "map.outlined": {"vi": "tỉnh của báo cáo", "en": "this report's province"},
    "map.index_maps_note": {
        "vi": 'Mỗi bản đồ tô các tỉnh theo nhóm của chỉ số đó, như ở dòng "Nhóm" của bảng; tỉnh gạch chéo '
        "không có số liệu của chỉ số năm đó.",
        "en": 'Each map colours the provinces by their group on that index, as in the table\'s "Group" row; a '
        "hatched province has no figure of the index that year.",
    },
    "map.locator_chart": {
        "vi": "Bản đồ vị trí: {name}, vùng {region} và các tỉnh tương đồng",
        "en": "Locator map: {name}, the {region} region and the similar provinces",
    },
    "map.source": {
        "vi": "Ranh giới: geoBoundaries (www.geoboundaries.org; Runfola và cộng sự, 2020), đã đơn giản hóa; "
        "đơn vị năm 2025 ghép từ các tỉnh cũ theo danh sách sáp nhập. Quần đảo Hoàng Sa và Quần đảo Trường Sa "
        "thuộc Việt Nam.",
        "en": "Boundaries: geoBoundaries (www.geoboundaries.org; Runfola et al., 2020), simplified; the 2025 units "
        "joined from the old provinces by the merger list. The Hoàng Sa and Trường Sa archipelagos belong to "
        "Viet Nam.",
    },
    "overview.with_score": {"vi": "Tỉnh có điểm", "en": "Provinces with a score"},
    "overview.with_rank": {"vi": "Tỉnh có thứ hạng công bố", "en": "Provinces with a published rank"},
    "overview.with_computed": {"vi": "Tỉnh có thứ hạng tính", "en": "Provinces with a computed rank"},
    "overview.table": {"vi": "Bảng điểm năm", "en": "The year's table"},
    "overview.complete": {"vi": "đầy đủ ({n} tỉnh được xếp hạng)", "en": "complete ({n} provinces ranked)"},
    "overview.partial": {"vi": "một phần", "en": "partial"},
    "overview.published_top_n": {
        "vi": "{publisher} chỉ công bố {n} tỉnh dẫn đầu",
        "en": "{publisher} publishes only the top {n} provinces",
    },
    "overview.published_new_units": {
        "vi": "công bố cho {n} đơn vị hành chính mới",
        "en": "published for the {n} new units",
    },
    "overview.by_year": {
        "vi": "Số tỉnh theo năm: có điểm · có thứ hạng công bố · có thứ hạng tính",
        "en": "Provinces by year: with a score · with a published rank · with a computed rank",
    },
    "overview.no_index": {
        "vi": "Chưa có số liệu chỉ số nào năm {year} ({n}): {names}.",
        "en": "No index figure in {year} ({n}): {names}.",
    },
    # ------------------------------------------------------------ headings of the notebooks' markdown cells
    "heading.headline": {"vi": "Kết quả chính", "en": "Headline figures"},
    "heading.history": {"vi": "Diễn biến qua các năm", "en": "History"},
    "heading.components": {"vi": "Các lĩnh vực của Chỉ số CCHC", "en": "PAR INDEX component areas"},
    "heading.targets": {"vi": "Mục tiêu của tỉnh", "en": "The province’s targets"},
    "heading.tthc": {"vi": "Giải quyết thủ tục hành chính", "en": "Administrative procedures (TTHC)"},
    "heading.rankings": {"vi": "Xếp hạng sở, ngành và huyện trong tỉnh", "en": "Rankings of departments and districts"},
    "heading.sources": {"vi": "Nguồn số liệu và số liệu còn thiếu", "en": "Sources and missing figures"},
    "heading.overview_rankings": {"vi": "Xếp hạng", "en": "Rankings"},
    "heading.overview_means": {"vi": "Điểm trung bình cả nước và các vùng", "en": "National and regional means"},
    "heading.overview_movers": {
        "vi": "Thay đổi thứ hạng lớn nhất — Chỉ số CCHC (PAR INDEX)",
        "en": "Biggest movers — PAR INDEX",
    },
    "heading.overview_map": {"vi": "Bản đồ các chỉ số", "en": "Maps of the indices"},
    "heading.overview_coverage": {"vi": "Mức độ đầy đủ của số liệu", "en": "Coverage of the data"},
    # ------------------------------------------------------------ charts
    "chart.province": {"vi": "Tỉnh", "en": "Province"},
    "chart.score": {"vi": "Điểm", "en": "Score"},
    "chart.score_in": {"vi": "Điểm ({unit})", "en": "Score ({unit})"},
    "chart.province_in": {"vi": "Tỉnh ({unit})", "en": "Province ({unit})"},
    "chart.rank": {"vi": "Thứ hạng", "en": "Rank"},
    "chart.rank_of": {"vi": "Thứ hạng (/{n})", "en": "Rank (/{n})"},
    "chart.rank_by_year": {"vi": "Thứ hạng\n{list}", "en": "Rank\n{list}"},  # each year's own number ranked
    "chart.rank_of_years": {"vi": "/{n}: {years}", "en": "/{n}: {years}"},
    "chart.share_of_max": {"vi": "% điểm tối đa của lĩnh vực", "en": "% of the area's maximum"},
    "chart.target_value": {"vi": "Giá trị (vạch đỏ: mục tiêu)", "en": "Value (red mark: target)"},
    "chart.target_value_in": {"vi": "Giá trị, {unit} (vạch đỏ: mục tiêu)", "en": "Value, {unit} (red mark: target)"},
    "chart.target_rank": {
        "vi": "Thứ hạng, hạng 1 ở bên phải (vạch đỏ: mục tiêu)",
        "en": "Rank, 1st on the right (red mark: target)",
    },
    "chart.target_lower": {
        "vi": "Giá trị, càng sang phải càng tốt (vạch đỏ: mục tiêu)",
        "en": "Value, better to the right (red mark: target)",
    },
    "chart.target_lower_in": {
        "vi": "Giá trị ({unit}), càng sang phải càng tốt (vạch đỏ: mục tiêu)",
        "en": "Value ({unit}), better to the right (red mark: target)",
    },
    "chart.dossiers": {"vi": "Số hồ sơ", "en": "Dossiers"},
    # ------------------------------------------------------------ position, strengths, similar provinces, summary
    "heading.summary": {"vi": "Tóm tắt", "en": "Summary"},
    "heading.position": {"vi": "Vị trí so với cả nước và trong vùng", "en": "Position among the provinces"},
    "heading.strengths": {"vi": "Điểm mạnh và lĩnh vực cần cải thiện", "en": "Strengths and areas to improve"},
    "heading.similar": {"vi": "Các tỉnh tương đồng", "en": "Similar provinces"},
    "gap.above": {"vi": "cao hơn {amount}", "en": "{amount} higher"},
    "gap.below": {"vi": "thấp hơn {amount}", "en": "{amount} lower"},
    "gap.same": {"vi": "bằng", "en": "level"},
    "group.official.A": {"vi": "nhóm A (≥ 90%)", "en": "group A (≥ 90%)"},
    "group.official.B": {"vi": "nhóm B (80% đến dưới 90%)", "en": "group B (80% to under 90%)"},
    "group.quartile.1": {"vi": "nhóm 1/4 đứng đầu", "en": "top quarter"},
    "group.quartile.2": {"vi": "nhóm 1/4 thứ hai", "en": "second quarter"},
    "group.quartile.3": {"vi": "nhóm 1/4 thứ ba", "en": "third quarter"},
    "group.quartile.4": {"vi": "nhóm 1/4 cuối", "en": "bottom quarter"},
    "region_place.range": {
        "vi": "{low} đến {high}/{size} ({ranked}/{size} tỉnh có thứ hạng)",
        "en": "{low} to {high} of {size} ({ranked}/{size} ranked)",
    },
    "position.break_flag": {"vi": "(phương pháp thay đổi năm {years})", "en": "(method changed in {years})"},
    "position.none": {"vi": "về vị trí của tỉnh năm {year}", "en": "on the province's position in {year}"},
    "position.measure": {"vi": "Tiêu chí", "en": "Measure"},
    "position.score": {"vi": "Điểm", "en": "Score"},
    "position.rank": {"vi": "Thứ hạng cả nước", "en": "National rank"},
    "position.group": {"vi": "Nhóm", "en": "Group"},
    "position.region": {"vi": "Thứ hạng trong vùng", "en": "Rank in the region"},
    "position.gap_national": {"vi": "So với trung bình cả nước", "en": "Against the national mean"},
    "position.gap_regional": {"vi": "So với trung bình vùng", "en": "Against the regional mean"},
    "position.gap_best": {"vi": "So với tỉnh dẫn đầu", "en": "Against the best province"},
    "position.since_prev": {"vi": "So với năm trước", "en": "Since the year before"},
    "position.since_start": {"vi": "So với năm đầu của chuỗi số liệu", "en": "Since the first year of the series"},
    "position.best_of": {"vi": "{gap} ({name})", "en": "{gap} ({name})"},
    "position.leads": {"vi": "dẫn đầu cả nước", "en": "leads the country"},
    "position.level_with_best": {"vi": "bằng điểm", "en": "same score"},
    "position.from_year": {"vi": "từ năm {year}: {change}", "en": "since {year}: {change}"},
    "position.not_comparable": {
        "vi": "năm {year}: {figures} (khác thang điểm hoặc số tỉnh xếp hạng)",
        "en": "{year}: {figures} (other scale or number ranked)",
    },
    # the note under the position table: only the parts that apply to a figure shown (position_sections._methods)
    "position.method.quartile": {
        "vi": "Nhóm: phần tư của bảng xếp hạng cả nước chứa thứ hạng của tỉnh (nhóm 1/4 đứng đầu: 25% số tỉnh xếp "
        "trên cùng).",
        "en": "Group: the quarter of the national ranking the province's rank falls in (top quarter: the best 25% "
        "of provinces).",
    },
    "position.method.official": {
        "vi": "Nhóm của Chỉ số CCHC từ năm 2024: theo Bộ Nội vụ (nhóm A ≥ 90%, nhóm B 80% đến dưới 90%).",
        "en": "PAR INDEX groups from 2024: the Ministry of Home Affairs' (group A ≥ 90%, group B 80% to under 90%).",
    },
    "position.method.region": {
        "vi": "Thứ hạng trong vùng theo thứ hạng cả nước của các tỉnh trong vùng; khi bộ dữ liệu chưa có thứ hạng của "
        "mọi tỉnh trong vùng: khoảng chắc chắn chứa thứ hạng (ví dụ 2 đến 6/6), suy từ các thứ hạng cả nước "
        "đã biết.",
        "en": "Rank in the region: by the national ranks of the region's provinces; where the data lack some of "
        "them, the range the rank certainly lies in (e.g. 2 to 6 of 6), from the national ranks known.",
    },
    "position.method.gaps": {
        "vi": "Chênh lệch tính bằng điểm trên cùng thang điểm, từ các số đã làm tròn như in, không quy đổi giữa các "
        "thang.",
        "en": "Gaps are in score points on one scale, from the figures as printed, never converted between scales.",
    },
    "position.region_derived": {
        "vi": "Vùng của {name} là vùng suy ra (vùng của tỉnh cũ có mã mà đơn vị giữ lại), không phải vùng được công "
        "bố.",
        "en": "{name}'s region is derived (that of the old province whose code it keeps), not a published one.",
    },
    "position.other_generation": {
        "vi": "{indices} năm {year} của {name} là bảng xếp hạng {n} đơn vị hành chính mới: chỉ so với các đơn vị "
        "mới; trung bình cả nước và vùng công bố cho năm {year} là của {old} tỉnh cũ nên không đem so.",
        "en": "{name}'s {indices} {year} is the ranking of the {n} new units: compared with the new units only; the "
        "national and regional means published for {year} are those of the {old} old provinces, not compared.",
    },
    "position.not_compared": {
        "vi": "không so (trung bình của {old} tỉnh cũ)",
        "en": "not compared (mean of the {old} old provinces)",
    },
    "strengths.none": {
        "vi": "về các thành phần của các chỉ số đến năm {year}",
        "en": "on the indices' components up to {year}",
    },
    "strengths.side": {"vi": "Loại", "en": "Side"},
    # a strength in the upper half of the national ranking, an area to improve in the lower half; otherwise
    # only the province's own best or weakest (analysis.position.half)
    "side.strength": {"vi": "Điểm mạnh", "en": "Strength"},
    "side.weakness": {"vi": "Cần cải thiện", "en": "To improve"},
    "side.strength_relative": {"vi": "Khá nhất của tỉnh", "en": "The province's best"},
    "side.weakness_relative": {"vi": "Thấp nhất của tỉnh", "en": "The province's lowest"},
    "label.data_year": {"vi": "Năm số liệu", "en": "Year of figures"},
    "year_note": {"vi": "{index}: {why}.", "en": "{index}: {why}."},
    "strengths.component": {"vi": "Thành phần", "en": "Component"},
    "strengths.ahead": {"vi": "Xếp trên (% số tỉnh khác)", "en": "Ahead of (% of other provinces)"},
    "strengths.method": {
        "vi": "Thành phần: {parts} (không gồm các phần điểm tổng hợp), năm gần nhất có thứ hạng. So với cả nước theo "
        "thứ hạng (công bố, hoặc tính từ bảng điểm đầy đủ): tỷ lệ các tỉnh khác được xếp hạng mà tỉnh đứng "
        "trên. Mỗi chỉ số: 2 thành phần có thứ hạng cao nhất và 2 thấp nhất của tỉnh; «Điểm mạnh» khi ở nửa "
        "trên bảng xếp hạng cả nước, «Cần cải thiện» khi ở nửa dưới; thay đổi so với năm trước khi có thứ "
        "hạng cả hai năm.",
        "en": "Components: {parts} (not the sub-totals of a score), in the latest year with ranks. Compared with "
        "the country by rank (published, or computed from a complete table): the share of the other ranked "
        "provinces the province is ahead of. Per index the province's 2 best-ranked and 2 lowest-ranked; "
        "“Strength” in the upper half of the national ranking, “To improve” in the lower half; the change is "
        "since the year before, where both years have a rank.",
    },
    # the components of each index, as the strengths note lists those shown
    "strengths.parts.PAR": {"vi": "các lĩnh vực của Chỉ số CCHC", "en": "the PAR INDEX areas"},
    "strengths.parts.PAPI": {"vi": "chỉ số nội dung PAPI", "en": "PAPI dimensions"},
    "strengths.parts.PCI": {"vi": "chỉ số thành phần PCI", "en": "PCI sub-indices"},
    "strengths.parts.DTI": {"vi": "trụ cột DTI", "en": "DTI pillars"},
    "similar.none": {
        "vi": "để tìm các tỉnh tương đồng (cần bảng điểm thành phần PAPI hoặc PCI đầy đủ)",
        "en": "to find similar provinces (needs a complete PAPI or PCI component table)",
    },
    "similar.distance": {"vi": "Khoảng cách", "en": "Distance"},
    "similar.result": {"vi": "Kết quả năm đó", "en": "That year"},
    "similar.self": {"vi": "{name} (tỉnh báo cáo)", "en": "{name} (this report)"},
    "similar.method": {
        "vi": "Các tỉnh gần nhất theo khoảng cách Euclid trên điểm các thành phần đã chuẩn hóa giữa các tỉnh "
        "(trừ trung bình, chia độ lệch chuẩn) của năm gần nhất có bảng điểm thành phần đầy đủ; khoảng cách "
        "càng nhỏ, cơ cấu điểm càng giống. "
        "Kết quả: điểm, thứ hạng của chỉ số năm đó và thay đổi so với năm trước.",
        "en": "The closest provinces by Euclidean distance on the component scores standardised across provinces "
        "(z-scores) in the latest year with a complete component table; the smaller the distance, the more "
        "alike. Result: the index's score and rank that year and the change since the year before.",
    },
    "summary.none": {
        "vi": "Chưa có số liệu chỉ số nào của {name} năm {year}.",
        "en": "No index figures for {name} in {year}.",
    },
    "summary.scored": {"vi": "đạt {score}", "en": "scored {score}"},
    "summary.ranked": {"vi": "xếp thứ {rank}", "en": "ranked {rank}"},
    "summary.main": {
        "vi": "Năm {year}, {name} {level} về {index}{details}.",
        "en": "In {year}, {name} {level} on {index}{details}.",
    },
    "summary.group": {"vi": "thuộc {group} cả nước", "en": "in the national {group}"},
    "summary.in_region": {"vi": "thứ {place} trong vùng {region}", "en": "rank {place} in the region {region}"},
    "summary.in_region_range": {
        "vi": "thứ {low} đến {high} trong {size} tỉnh của vùng {region} ({ranked}/{size} tỉnh của vùng có thứ hạng)",
        "en": "rank {low} to {high} of the {size} provinces of the region {region} ({ranked}/{size} of them ranked)",
    },
    "summary.above": {"vi": "cao hơn trung bình cả nước {amount}", "en": "{amount} above the national mean"},
    "summary.below": {"vi": "thấp hơn trung bình cả nước {amount}", "en": "{amount} below the national mean"},
    "summary.level_with": {"vi": "bằng trung bình cả nước", "en": "level with the national mean"},
    "summary.other": {"vi": "{index} {figure}{group}", "en": "{index} {figure}{group}"},
    "summary.others": {"vi": "Các chỉ số khác: {list}.", "en": "Other indices: {list}."},
    "summary.move": {"vi": "{index} {change}", "en": "{index} {change}"},
    "summary.moved": {"vi": "So với năm {prev}: {list}.", "en": "Since {prev}: {list}."},
    "summary.strengths": {
        "vi": "Thành phần mạnh nhất so với các tỉnh: {list}",
        "en": "Strongest components against the other provinces: {list}",
    },
    "summary.weaknesses": {"vi": "Cần cải thiện nhất: {list}", "en": "Most in need of improvement: {list}"},
    "summary.no_strengths": {
        "vi": "Trong các thành phần có số liệu gần đây, không thành phần nào ở nửa trên bảng xếp hạng cả nước.",
        "en": "Of the components with recent figures, none is in the upper half of the national ranking.",
    },
    "summary.no_weaknesses": {
        "vi": "Trong các thành phần có số liệu gần đây, không thành phần nào ở nửa dưới bảng xếp hạng cả nước.",
        "en": "Of the components with recent figures, none is in the lower half of the national ranking.",
    },
    "summary.similar": {
        "vi": "Các tỉnh gần nhất về cơ cấu điểm thành phần {index} năm {year}: {names}",
        "en": "Provinces closest on the {index} {year} components: {names}",
    },
    "summary.sentence": {"vi": "{text}.", "en": "{text}."},
    "summary.sentence_why": {"vi": "{text} — {why}.", "en": "{text} — {why}."},
    # why the components of an earlier year stand for the report's (analysis.position.year_reason)
    "year_why.not_published": {
        "vi": "{index} không công bố số liệu của tỉnh năm {year}, dùng số liệu năm {shown}",
        "en": "{index} {year} figures for the province were not published; {shown} used",
    },
    "year_why.no_components": {
        "vi": "chưa có thứ hạng thành phần {index} năm {year}, dùng số liệu năm {shown}",
        "en": "no {index} component ranks for {year}; {shown} used",
    },
    "year_why.no_complete_table": {
        "vi": "chưa có bảng điểm thành phần {index} đầy đủ năm {year}, dùng số liệu năm {shown}",
        "en": "no complete {index} component table for {year}; {shown} used",
    },
    # ------------------------------------------------------------ the batch's index page
    "index_page.title": {"vi": "Báo cáo CCHC năm {year}", "en": "CCHC reports {year}"},
    "index_page.made": {"vi": "Lập ngày {date}", "en": "Made on {date}"},
    "index_page.data": {
        "vi": "dữ liệu phiên bản {version}: {figures} số liệu chỉ số có nguồn, năm {first}–{last}",
        "en": "data version {version}: {figures} sourced index figures, {first}–{last}",
    },
    "index_page.change": {"vi": "so với {prev}: {change}", "en": "on {prev}: {change}"},
    "index_page.filter": {"vi": "Lọc theo tên tỉnh, thành phố", "en": "Filter by province name"},
    "portal.title": {"vi": "Báo cáo CCHC các tỉnh, thành phố", "en": "CCHC reports by province"},
    "portal.updated": {"vi": "Cập nhật ngày {date}", "en": "Updated on {date}"},
    "portal.data": {"vi": "dữ liệu phiên bản {version}", "en": "data version {version}"},
    "portal.made": {"vi": "lập ngày {date}", "en": "made on {date}"},
    "portal.year": {"vi": "Năm {year}: số liệu và báo cáo", "en": "{year}: figures and reports"},
    "portal.years": {"vi": "Các năm", "en": "Years"},
    # ------------------------------------------------------------ a province's zip (the README is in Vietnamese)
    "bundle.title": {
        "vi": "Báo cáo tiến độ cải cách hành chính — {name}",
        "en": "Administrative reform progress reports — {name}",
    },
    "bundle.intro": {
        "vi": "Gói này gồm các báo cáo của tỉnh, thành phố qua các năm. Tệp HTML mở bằng trình duyệt "
        "(Chrome, Edge, Firefox, Cốc Cốc), không cần mạng; tệp PDF khổ A4, để in hoặc gửi kèm văn bản.",
        "en": "This package holds the province's reports of every year. The HTML files open in a browser "
        "without a network; the PDF files are A4, to print or to attach.",
    },
    "bundle.predecessors": {
        "vi": "{name} được thành lập từ ngày 1/7/2025 trên cơ sở sáp nhập {names}; gói gồm cả báo cáo "
        "các năm trước của các tỉnh, thành phố này.",
        "en": "{name} was formed on 1 July 2025 from {names}; their reports of the years before are included.",
    },
    "bundle.predecessor_one": {
        "vi": "{name} từ ngày 1/7/2025 tiếp nối {names}; gói gồm cả báo cáo các năm trước.",
        "en": "{name} from 1 July 2025 continues {names}; the reports of the years before are included.",
    },
    "bundle.year": {"vi": "Năm {year}", "en": "{year}"},
    "bundle.html": {"vi": "bản HTML", "en": "HTML"},
    "bundle.pdf": {"vi": "bản PDF (A4)", "en": "PDF (A4)"},
    "bundle.source": {
        "vi": "Mỗi báo cáo ghi nguồn của từng số liệu và danh sách số liệu còn thiếu.",
        "en": "Each report gives the source of every figure and lists what is missing.",
    },
    "index_page.portal": {"vi": "Báo cáo mọi năm", "en": "Reports of every year"},
    "index_page.other_lang": {"vi": "Tiếng Việt", "en": "English"},  # the language the link leads to
    "index_page.other_years": {"vi": "Các năm khác", "en": "Other years"},
    "index_page.report": {"vi": "Báo cáo", "en": "Report"},
    "index_page.col.PAR": {"vi": "PAR INDEX", "en": "PAR INDEX"},
    "index_page.col.SIPAS": {"vi": "SIPAS", "en": "SIPAS"},
    "index_page.col.PAPI": {"vi": "PAPI", "en": "PAPI"},
    "index_page.col.PCI": {"vi": "PCI", "en": "PCI"},
    "index_page.col.DTI": {"vi": "DTI", "en": "DTI"},
    "index_page.rank": {"vi": "hạng {rank}", "en": "rank {rank}"},
    "index_page.new_unit": {"vi": "{name} (từ 1/7/2025)", "en": "{name} (from 1 July 2025)"},
    "index_page.new_units_note": {
        "vi": "“Từ 1/7/2025”: tỉnh, thành phố sau sắp xếp đơn vị hành chính (34 đơn vị); thứ hạng của "
        "các đơn vị này là thứ hạng trong 34 đơn vị.",
        "en": "“From 1 July 2025”: the provinces after the 2025 merger (34 units); their ranks are among the 34 units.",
    },
    "index_page.computed_note": {
        "vi": "(tính): thứ hạng tính từ bảng điểm đầy đủ của cả nước năm đó, không phải thứ hạng được công bố.",
        "en": "(computed): a rank computed from the year's complete national table of scores, not a published rank.",
    },
    "index_page.failures": {
        "vi": "Không lập được {n} báo cáo: {names}. Lý do ghi ở từng dòng; bản trước, nếu có, vẫn mở được.",
        "en": "{n} reports could not be made: {names}. The reason is on each row; an earlier version, where "
        "there is one, is still linked.",
    },
    "index_page.failures_one": {
        "vi": "Không lập được báo cáo {names}. Lý do ghi ở dòng của báo cáo; bản trước, nếu có, vẫn mở được.",
        "en": "The report {names} could not be made. The reason is on its row; an earlier version, where "
        "there is one, is still linked.",
    },
    "index_page.skipped": {
        "vi": "Không có số liệu năm {year}, không lập báo cáo: {names}.",
        "en": "No figures for {year}, no report: {names}.",
    },
    "index_page.earlier": {"vi": "{format} (bản trước)", "en": "{format} (earlier version)"},
    "index_page.failed": {"vi": "lỗi", "en": "failed"},
}


# ---------------------------------------------------------------------------------------------------------
# Spreadsheets written by ``cchc.to_excel`` and ``cchc export``: sheet names, yes/no, and the headers of the
# columns the analysis API returns (``column.<name>``; a column without one keeps its name).
TEXTS.update(
    {
        "excel.yes": {"vi": "có", "en": "yes"},
        "excel.no": {"vi": "không", "en": "no"},
        "excel.table": {"vi": "Bảng", "en": "Table"},
        "excel.sources": {"vi": "Nguồn", "en": "Sources"},
        "excel.used_in": {"vi": "Dùng trong bảng", "en": "Used in"},
        "excel.rows": {"vi": "Số dòng", "en": "Rows"},
        "excel.no_sources": {"vi": "Các bảng không có cột nguồn.", "en": "The tables have no source column."},
        "excel.sheet.indices": {"vi": "Chỉ số", "en": "Indices"},
        "excel.sheet.tthc": {"vi": "Thủ tục hành chính", "en": "Procedures (TTHC)"},
        "excel.sheet.unit_rankings": {"vi": "Xếp hạng trong tỉnh", "en": "Rankings in the province"},
        "excel.sheet.targets": {"vi": "Mục tiêu", "en": "Targets"},
        "excel.sheet.plan_tasks": {"vi": "Kế hoạch CCHC", "en": "Reform plan"},
        "column.index": {"vi": "Chỉ số", "en": "Index"},
        "column.year": {"vi": "Năm", "en": "Year"},
        "column.province": {"vi": "Mã tỉnh", "en": "Province code"},
        "column.name": {"vi": "Tỉnh, thành phố", "en": "Province"},
        "column.region": {"vi": "Vùng", "en": "Region"},
        "column.component": {"vi": "Chỉ số thành phần", "en": "Component"},
        "column.score": {"vi": "Điểm", "en": "Score"},
        "column.unit": {"vi": "Thang đo", "en": "Scale"},
        "column.max_score": {"vi": "Điểm tối đa", "en": "Maximum score"},
        "column.rank": {"vi": "Thứ hạng", "en": "Rank"},
        "column.rank_of": {"vi": "Số đơn vị được xếp hạng", "en": "Ranked out of"},
        "column.rank_low": {"vi": "Hạng từ", "en": "Rank from"},
        "column.rank_high": {"vi": "Hạng đến", "en": "Rank to"},
        "column.rank_computed": {"vi": "Thứ hạng tính từ bảng điểm", "en": "Rank computed from the scores"},
        "column.tied": {"vi": "Đồng hạng", "en": "Tied"},
        "column.derived": {"vi": "Suy ra từ mức thay đổi", "en": "Derived from a change"},
        "column.source": {"vi": "Nguồn", "en": "Source"},
        "column.origin": {"vi": "Xuất xứ số liệu", "en": "Origin"},
        "column.note": {"vi": "Ghi chú", "en": "Note"},
        "column.rank_in_region": {"vi": "Thứ hạng trong vùng", "en": "Rank in the region"},
        "column.is_self": {"vi": "Tỉnh được hỏi", "en": "The province asked about"},
        "column.scope": {"vi": "Phạm vi", "en": "Scope"},
        "column.computed": {"vi": "Tính từ bảng điểm", "en": "Computed from the scores"},
        "column.n": {"vi": "Số đơn vị", "en": "Units"},
        "column.generation": {"vi": "Thời kỳ (63 tỉnh hoặc 34 đơn vị)", "en": "Period (63 provinces or 34 units)"},
        "column.prev_year": {"vi": "Năm so sánh", "en": "Compared year"},
        "column.score_delta": {"vi": "Thay đổi điểm", "en": "Score change"},
        "column.rank_delta": {"vi": "Thay đổi thứ hạng", "en": "Rank change"},
        "column.prev_rank": {"vi": "Thứ hạng năm so sánh", "en": "Rank in the compared year"},
        "column.breaks": {"vi": "Thay đổi phương pháp", "en": "Method changes"},
        "column.share": {"vi": "Tỷ lệ", "en": "Share"},
        "column.file": {"vi": "Tệp dữ liệu", "en": "Data file"},
        "column.row": {"vi": "Dòng", "en": "Row"},
        "column.use": {"vi": "Dùng", "en": "Used"},
        "column.reason": {"vi": "Lý do", "en": "Reason"},
        "column.status": {"vi": "Tình trạng", "en": "Status"},
        "column.chosen": {"vi": "Được chọn", "en": "Chosen"},
        "column.score_decimals": {"vi": "Số chữ số thập phân", "en": "Decimals"},
        "column.units": {"vi": "Số đơn vị", "en": "Units"},
        "column.scored": {"vi": "Có điểm", "en": "Scored"},
        "column.ranked": {"vi": "Có thứ hạng", "en": "Ranked"},
        "column.expected": {"vi": "Cần có", "en": "Expected"},
        "column.complete": {"vi": "Đầy đủ", "en": "Complete"},
        "column.decimals": {"vi": "Số chữ số thập phân", "en": "Decimals"},
        "column.published": {"vi": "Đã công bố", "en": "Published"},
        "column.published_n": {"vi": "Số đơn vị được công bố", "en": "Units published"},
        "column.distance": {"vi": "Khoảng cách", "en": "Distance"},
        "column.z": {"vi": "Điểm chuẩn hoá", "en": "Standardised score"},
        "column.year_reason": {"vi": "Lý do dùng năm này", "en": "Why this year"},
        "column.side": {"vi": "Mặt", "en": "Side"},
        "column.level": {"vi": "Cấp", "en": "Level"},
        "column.agency": {"vi": "Cơ quan", "en": "Agency"},
        "column.ranked_unit": {"vi": "Đơn vị được xếp hạng", "en": "Unit ranked"},
        "column.group": {"vi": "Nhóm", "en": "Group"},
        "column.listed_order": {"vi": "Thứ tự trong danh sách", "en": "Order in the list"},
        "column.national_mean": {"vi": "Trung bình cả nước", "en": "National mean"},
        "column.regional_mean": {"vi": "Trung bình vùng", "en": "Regional mean"},
        "column.document": {"vi": "Văn bản", "en": "Document"},
        "column.date": {"vi": "Ngày", "en": "Date"},
        "column.metric": {"vi": "Chỉ tiêu", "en": "Metric"},
        "column.comparator": {"vi": "So sánh", "en": "Comparator"},
        "column.value": {"vi": "Giá trị", "en": "Value"},
        "column.deadline": {"vi": "Thời hạn", "en": "Deadline"},
        "column.description": {"vi": "Nội dung văn bản", "en": "As worded"},
        "column.plan": {"vi": "Kế hoạch", "en": "Plan"},
        "column.tasks_planned": {"vi": "Nhiệm vụ theo kế hoạch", "en": "Tasks planned"},
        "column.tasks_completed": {"vi": "Nhiệm vụ hoàn thành", "en": "Tasks completed"},
        "column.as_of": {"vi": "Tính đến ngày", "en": "As of"},
    }
)


def text(key: str, lang: str, **values) -> str:
    """The catalogue's words for ``key`` in ``lang`` ('vi' or 'en'), with ``values`` filled in.

    >>> text("rank_up", "vi", n=3)
    'tăng 3 bậc'
    >>> text("label.score", "en")
    'Score'
    """
    words = TEXTS[key][lang]
    return words.format(**values) if values else words


def heading_in(vi_heading: str, lang: str) -> str | None:
    """A notebook heading (written in Vietnamese) in ``lang``; None when the catalogue does not have it."""
    for key, entry in TEXTS.items():
        if key.startswith("heading.") and entry["vi"] == vi_heading:
            return entry[lang]
    return None


# ---------------------------------------------------------------------------------------------------------
# Names that data files hold in Vietnamese, and notes written for readers: looked up by ``name_in`` and
# ``text``. A name the catalogue does not hold is shown as written (province and department names are
# proper names in both languages).
NAMES: dict[str, dict[str, str]] = {
    # socio-economic regions, as in provinces.csv and means.csv
    "region_name.Đồng bằng sông Hồng": {"vi": "Đồng bằng sông Hồng", "en": "Red River Delta"},
    "region_name.Trung du và miền núi phía Bắc": {
        "vi": "Trung du và miền núi phía Bắc",
        "en": "Northern Midlands and Mountains",
    },
    "region_name.Bắc Trung Bộ và duyên hải miền Trung": {
        "vi": "Bắc Trung Bộ và duyên hải miền Trung",
        "en": "North Central and Central Coast",
    },
    "region_name.Tây Nguyên": {"vi": "Tây Nguyên", "en": "Central Highlands"},
    "region_name.Đông Nam Bộ": {"vi": "Đông Nam Bộ", "en": "Southeast"},
    "region_name.Đồng bằng sông Cửu Long": {"vi": "Đồng bằng sông Cửu Long", "en": "Mekong Delta"},
    # PAR INDEX areas (lĩnh vực) and sub-totals, as the ministry's tables name them
    "component.Công tác chỉ đạo, điều hành CCHC": {
        "vi": "Công tác chỉ đạo, điều hành CCHC",
        "en": "Direction and management of reform",
    },
    "component.Cải cách thể chế": {"vi": "Cải cách thể chế", "en": "Institutional reform"},
    "component.Xây dựng và tổ chức thực hiện văn bản QPPL": {
        "vi": "Xây dựng và tổ chức thực hiện văn bản QPPL",
        "en": "Making and enforcing legal documents",
    },
    "component.Cải cách thủ tục hành chính": {
        "vi": "Cải cách thủ tục hành chính",
        "en": "Administrative procedure reform",
    },
    "component.Cải cách tổ chức bộ máy": {"vi": "Cải cách tổ chức bộ máy", "en": "Reform of the apparatus"},
    "component.Cải cách tổ chức bộ máy hành chính nhà nước": {
        "vi": "Cải cách tổ chức bộ máy hành chính nhà nước",
        "en": "Reform of the state administrative apparatus",
    },
    "component.Cải cách chế độ công vụ": {"vi": "Cải cách chế độ công vụ", "en": "Civil service reform"},
    "component.Xây dựng và nâng cao chất lượng đội ngũ CBCCVC": {
        "vi": "Xây dựng và nâng cao chất lượng đội ngũ CBCCVC",
        "en": "Quality of civil servants and public employees",
    },
    "component.Cải cách tài chính công": {"vi": "Cải cách tài chính công", "en": "Public finance reform"},
    "component.Hiện đại hóa hành chính": {"vi": "Hiện đại hóa hành chính", "en": "Modernising the administration"},
    "component.Hiện đại hóa hành chính (CQĐT/CQS)": {
        "vi": "Hiện đại hóa hành chính (CQĐT/CQS)",
        "en": "Modernising the administration (e- and digital government)",
    },
    "component.Xây dựng và phát triển chính quyền điện tử, chính quyền số": {
        "vi": "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
        "en": "E-government and digital government",
    },
    "component.Tác động đến phát triển KT-XH": {
        "vi": "Tác động đến phát triển KT-XH",
        "en": "Impact on socio-economic development",
    },
    "component.Tác động của CCHC đến phát triển KT-XH": {
        "vi": "Tác động của CCHC đến phát triển KT-XH",
        "en": "Impact of reform on socio-economic development",
    },
    "component.Tác động của CCHC đến người dân, tổ chức và phát triển KT-XH": {
        "vi": "Tác động của CCHC đến người dân, tổ chức và phát triển KT-XH",
        "en": "Impact of reform on people, organisations and socio-economic development",
    },
    "component.Chỉ số SIPAS (thành phần của PAR)": {
        "vi": "Chỉ số SIPAS (thành phần của Chỉ số CCHC)",
        "en": "SIPAS (part of the PAR INDEX)",
    },
    "component.Khảo sát lãnh đạo quản lý": {"vi": "Khảo sát lãnh đạo quản lý", "en": "Survey of leaders and managers"},
    "component.Điểm thẩm định": {"vi": "Điểm thẩm định", "en": "Appraisal score"},
    "component.Điểm thẩm định kết quả thực hiện nhiệm vụ CCHC": {
        "vi": "Điểm thẩm định kết quả thực hiện nhiệm vụ CCHC",
        "en": "Appraisal of the reform tasks' results",
    },
    "component.Điểm đánh giá tác động của CCHC": {"vi": "Điểm đánh giá tác động của CCHC", "en": "Reform impact score"},
    # PAPI dimensions (PAPI's own English names)
    "component.Tham gia của người dân ở cấp cơ sở": {
        "vi": "Tham gia của người dân ở cấp cơ sở",
        "en": "Participation at local levels",
    },
    "component.Công khai, minh bạch": {"vi": "Công khai, minh bạch", "en": "Transparency"},
    "component.Trách nhiệm giải trình với người dân": {
        "vi": "Trách nhiệm giải trình với người dân",
        "en": "Vertical accountability",
    },
    "component.Kiểm soát tham nhũng trong khu vực công": {
        "vi": "Kiểm soát tham nhũng trong khu vực công",
        "en": "Control of corruption in the public sector",
    },
    "component.Thủ tục hành chính công": {"vi": "Thủ tục hành chính công", "en": "Public administrative procedures"},
    "component.Cung ứng dịch vụ công": {"vi": "Cung ứng dịch vụ công", "en": "Public service delivery"},
    "component.Quản trị môi trường": {"vi": "Quản trị môi trường", "en": "Environmental governance"},
    "component.Quản trị điện tử": {"vi": "Quản trị điện tử", "en": "E-governance"},
    # PCI sub-indices (VCCI's own English names)
    "component.Gia nhập thị trường": {"vi": "Gia nhập thị trường", "en": "Entry costs"},
    "component.Tiếp cận đất đai": {"vi": "Tiếp cận đất đai", "en": "Land access"},
    "component.Tính minh bạch": {"vi": "Tính minh bạch", "en": "Transparency"},
    "component.Chi phí thời gian": {"vi": "Chi phí thời gian", "en": "Time costs"},
    "component.Chi phí không chính thức": {"vi": "Chi phí không chính thức", "en": "Informal charges"},
    "component.Cạnh tranh bình đẳng": {"vi": "Cạnh tranh bình đẳng", "en": "Policy bias"},
    "component.Tính năng động": {"vi": "Tính năng động", "en": "Proactivity"},
    "component.Dịch vụ hỗ trợ doanh nghiệp": {"vi": "Dịch vụ hỗ trợ doanh nghiệp", "en": "Business support services"},
    "component.Đào tạo lao động": {"vi": "Đào tạo lao động", "en": "Labour training"},
    "component.Thiết chế pháp lý": {"vi": "Thiết chế pháp lý", "en": "Legal institutions"},
    "component.Thiết chế pháp lý & ANTT": {"vi": "Thiết chế pháp lý & ANTT", "en": "Law and order"},
    "component.Ưu đãi đối với doanh nghiệp nhà nước": {
        "vi": "Ưu đãi đối với doanh nghiệp nhà nước",
        "en": "State-owned enterprise bias",
    },
    "component.Chính sách phát triển khu vực kinh tế tư nhân": {
        "vi": "Chính sách phát triển khu vực kinh tế tư nhân",
        "en": "Private sector development policy",
    },
    "component.Thực hiện chính sách của Trung ương": {
        "vi": "Thực hiện chính sách của Trung ương",
        "en": "Implementation of central policies",
    },
    # DTI main indices and pillars (the data marks the three pillars "(pillar)")
    "component.Nhận thức số": {"vi": "Nhận thức số", "en": "Digital awareness"},
    "component.Thể chế số": {"vi": "Thể chế số", "en": "Digital institutions"},
    "component.Hạ tầng số": {"vi": "Hạ tầng số", "en": "Digital infrastructure"},
    "component.Nhân lực số": {"vi": "Nhân lực số", "en": "Digital workforce"},
    "component.An toàn thông tin mạng": {"vi": "An toàn thông tin mạng", "en": "Cybersecurity"},
    "component.Hoạt động chính quyền số": {"vi": "Hoạt động chính quyền số", "en": "Digital government activity"},
    "component.Hoạt động kinh tế số": {"vi": "Hoạt động kinh tế số", "en": "Digital economy activity"},
    "component.Hoạt động xã hội số": {"vi": "Hoạt động xã hội số", "en": "Digital society activity"},
    "component.Chính quyền số (pillar)": {"vi": "Trụ cột Chính quyền số", "en": "Digital government pillar"},
    "component.Kinh tế số (pillar)": {"vi": "Trụ cột Kinh tế số", "en": "Digital economy pillar"},
    "component.Xã hội số (pillar)": {"vi": "Trụ cột Xã hội số", "en": "Digital society pillar"},
    # bands of targets (value of an in_band target) and of PCI / PAPI groups
    "band.Rất tốt": {"vi": "Rất tốt", "en": "Excellent"},
    "band.Tốt": {"vi": "Tốt", "en": "Good"},
    "band.Khá": {"vi": "Khá", "en": "Fair"},
    "band.Trung bình": {"vi": "Trung bình", "en": "Average"},
    "band.Tương đối thấp": {"vi": "Tương đối thấp", "en": "Rather low"},
    "band.Thấp": {"vi": "Thấp", "en": "Low"},
    "band.Trung bình cao": {"vi": "Trung bình cao", "en": "High average"},
    "band.Trung bình thấp": {"vi": "Trung bình thấp", "en": "Low average"},
    "band.Cao nhất": {"vi": "Cao nhất", "en": "Highest"},
    "band.Thấp nhất": {"vi": "Thấp nhất", "en": "Lowest"},
    "band.xếp hạng cao": {"vi": "xếp hạng cao", "en": "ranked high"},
}

TEXTS.update(
    {
        # the scale of a score, in words (schema.UNITS); used in chart titles: "Điểm (thang 80)"
        "unit_scale.%": {"vi": "%", "en": "%"},
        "unit_scale.points/10": {"vi": "thang 10", "en": "out of 10"},
        "unit_scale.points/60": {"vi": "thang 60", "en": "out of 60"},
        "unit_scale.points/80": {"vi": "thang 80", "en": "out of 80"},
        "unit_scale.points/100": {"vi": "thang 100", "en": "out of 100"},
        "unit_scale.points/1000": {"vi": "thang 1.000", "en": "out of 1,000"},
        "unit_scale.index 0-1": {"vi": "thang 0–1", "en": "0–1 scale"},
        "unit_scale.points": {"vi": "điểm", "en": "points"},
        # not published (schema.NOT_PUBLISHED) is not missing
        "not_published": {"vi": "không công bố", "en": "not published"},
        "gaps.not_published_intro": {
            "vi": "Không công bố năm {year}: {indices} (nhà xuất bản không công bố điểm và thứ hạng của tỉnh năm này).",
            "en": "Not published in {year}: {indices} (the publisher did not publish the "
            "province's score and rank that year).",
        },
        "history.not_published_note": {
            "vi": "“Không công bố”: {index} không công bố điểm, thứ hạng của {name} năm {years}.",
            "en": "“Not published”: {index} published no score or rank for {name} in {years}.",
        },
        # why a figure is missing (metrics.missing_reason; publication limits in data/publication.csv)
        "publisher.PAR": {"vi": "Bộ Nội vụ", "en": "the Ministry of Home Affairs"},
        "publisher.SIPAS": {"vi": "Bộ Nội vụ", "en": "the Ministry of Home Affairs"},
        "publisher.PCI": {"vi": "VCCI", "en": "VCCI"},
        "publisher.PAPI": {"vi": "nhóm nghiên cứu PAPI", "en": "the PAPI research team"},
        "publisher.DTI": {"vi": "Bộ Thông tin và Truyền thông", "en": "the Ministry of Information and Communications"},
        "missing.outside_top_n": {
            "vi": "{publisher} chỉ công bố {n} tỉnh dẫn đầu ({index} {year}); {name} không thuộc danh sách này",
            "en": "{publisher} publishes only the top {n} provinces ({index} {year}); {name} is not among them",
        },
        "missing.top_n_unknown": {
            "vi": "{publisher} chỉ công bố {n} tỉnh dẫn đầu ({index} {year}); {name} không "
            "thuộc danh sách này hoặc số liệu chưa nhập vào bộ dữ liệu",
            "en": "{publisher} publishes only the top {n} provinces ({index} {year}); {name} is "
            "not among them, or its figure has not been entered in the data set",
        },
        "summary.limit": {"vi": "{why}.", "en": "{why}."},
        "missing.not_published": {"vi": "không được công bố", "en": "not published"},
        "missing.for_successor": {
            "vi": "{index} {year} chỉ được công bố cho {n} đơn vị hành chính mới: {successor} "
            "(đơn vị kế thừa {name} từ 1/7/2025) xếp thứ {figure}",
            "en": "{index} {year} was published only for the {n} new units: {successor} "
            "({name}'s successor from 1 July 2025) ranked {figure}",
        },
        "missing.not_entered": {"vi": "chưa nhập vào bộ dữ liệu", "en": "not yet entered in the data set"},
        "sources.contradicted": {
            "vi": "Không dùng: {figure} {value} ({source}) — chính trang này có thông tin mâu thuẫn với con số.",
            "en": "Not used: {figure} {value} ({source}) — the page itself contradicts this figure.",
        },
        # notes written for readers in the sources table (the transcription notes stay in data/, column note)
        "sources.other_figures": {"vi": "nguồn khác: {figures}", "en": "other sources: {figures}"},
        "sources.disputed": {
            "vi": "số liệu bị nguồn khác mâu thuẫn, không dùng",
            "en": "contradicted by other sources, not used",
        },
        "sources.user_official": {
            "vi": "bảng chính thức do người dùng nhập",
            "en": "official table entered by the user",
        },
        "sources.other_figure": {"vi": "{figure} ({source})", "en": "{figure} ({source})"},
        "sources.of_province": {"vi": "{figure} — {name}", "en": "{figure} — {name}"},
        "sources.transcription_note": {
            "vi": "Cách đọc hoặc tính ra từng số liệu từ nguồn được ghi lại cùng số liệu trong bộ dữ liệu của báo cáo; "
            "báo cáo không in các ghi chú đó.",
            "en": "How each figure was read or worked out from its source is recorded with the figure in the report's "
            "data; the report does not print those notes.",
        },
        # in-province rankings: the source lists units without ranks
        "label.listed_order": {"vi": "Thứ tự trong danh sách", "en": "Order in the list"},
        "rankings.listed_note": {
            "vi": "Nguồn chỉ liệt kê các đơn vị trên, không công bố điểm và thứ hạng; thứ tự là thứ tự trong danh sách "
            "của nguồn, không phải thứ hạng.",
            "en": "The source only lists these units, without scores or ranks; the order is the order of the source's "
            "list, not a rank.",
        },
    }
)


def name_in(kind: str, name: str, lang: str) -> str:
    """A name a data file holds in Vietnamese (``kind``: 'region_name', 'component', 'band') in ``lang``;
    the name as written when the catalogue does not hold it.

    >>> name_in("region_name", "Tây Nguyên", "en"), name_in("component", "Hạ tầng số", "vi")
    ('Central Highlands', 'Hạ tầng số')
    """
    if not isinstance(name, str):
        return name
    return NAMES.get(f"{kind}.{name}", {}).get(lang, name)
