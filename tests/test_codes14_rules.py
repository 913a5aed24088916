"""Conditions that came out without a CIM-10 code (session 14): the code a histology gives a tumour whose site is
not written (neoplasm_cim10.csv), a metastasis whose site is not written (C79.9), a cancer whose histology names
its organ, a findings.csv head written alone (cim10_refine.yaml ``bare``), and synonym rows of conditions.csv.
Each family checks that the words which say more, or say nothing of a disease, keep their code or stay uncoded.
Sentences written for these tests."""

from __future__ import annotations

import fhirconv

CIM10 = "cim-10"


def _codes(text: str) -> dict[str, list[str | None]]:
    """code.text (lower-cased) -> the CIM-10 code of each Condition with those words (None: no CIM-10 coding)."""
    out: dict[str, list[str | None]] = {}
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            code = next((c["code"] for c in r["code"].get("coding", []) if CIM10 in c["system"]), None)
            out.setdefault(r["code"]["text"].lower(), []).append(code)
    return out


# --- a histology that names its organ or tissue, no site written: the CIM-10 index's "unspecified site"


def test_an_unsited_histology_of_one_organ_takes_that_organs_code() -> None:
    assert _codes("Garçon de 15 ans. La biopsie osseuse conclut à un ostéosarcome.")["ostéosarcome"] == ["C41.9"]
    assert _codes("Homme de 30 ans. L'orchidectomie montre un séminome pur.")["séminome"] == ["C62.9"]
    assert _codes("Enfant de 6 ans. La biopsie conclut à un médulloblastome.")["médulloblastome"] == ["C71.6"]
    assert _codes("Patient suivi pour un hypernéphrome opéré.")["hypernéphrome"] == ["C64"]
    assert _codes("Exérèse d'un carcinome basocellulaire.")["carcinome basocellulaire"] == ["C44.9"]


def test_an_unsited_soft_tissue_sarcoma_is_of_the_connective_tissue() -> None:
    assert _codes("Il s'agit d'un léiomyosarcome de haut grade.")["léiomyosarcome"] == ["C49.9"]


def test_a_written_site_still_codes_the_histology() -> None:
    assert _codes("Ostéosarcome du fémur gauche.")["ostéosarcome du fémur"] == ["C40.2"]
    assert _codes("Léiomyosarcome de l'utérus.")["léiomyosarcome de l'utérus"] == ["C55"]


def test_a_histology_of_several_organs_takes_no_organs_code_without_its_site() -> None:
    # a urothelial carcinoma may be of the bladder, the ureter or the renal pelvis: primary site not stated
    assert _codes("La biopsie montre un carcinome urothélial.")["carcinome urothélial"] == ["C80.9"]


# --- a metastasis whose site is not written: secondary malignant neoplasm, site unspecified


def test_an_unsited_metastasis_is_c79_9() -> None:
    codes = _codes("Adénocarcinome de l'estomac. Le scanner montre des métastases.")
    assert codes["adénocarcinome de l'estomac"] == ["C16.9"]
    assert codes["métastases"] == ["C79.9"]


def test_a_ruled_out_unsited_metastasis_is_coded_too() -> None:
    assert _codes("Carcinome du sein droit. Pas de métastase.")["métastase"] == ["C79.9"]


def test_a_sited_metastasis_keeps_its_sites_code() -> None:
    assert _codes("Métastases hépatiques d'un adénocarcinome colique.")["métastases hépatiques"] == ["C78.7"]


# --- a malignant histology whose name holds its organ


def test_a_cancer_named_with_its_organ_inside_its_histology_is_of_that_organ() -> None:
    codes = _codes("La néphrectomie a montré un carcinome rénal à cellules claires de grade 2.")
    assert codes["carcinome rénal à cellules claires"] == ["C64"]


# --- a findings.csv head written alone: the code of the bare word


def test_a_bare_thrombosis_is_a_venous_thrombosis_unspecified() -> None:
    codes = _codes("Le doppler ne montre pas de thrombose. L'angioscanner montre un thrombus.")
    assert codes["thrombose"] == ["I82.9"]
    assert codes["thrombus"] == ["I82.9"]


def test_a_thrombosis_with_words_the_bare_code_does_not_hold_stays_uncoded() -> None:
    # a catheter's thrombosis, a tumour thrombus: not a plain venous thrombosis
    codes = _codes("Thrombose du cathéter. Présence d'un thrombus tumoral.")
    assert codes["thrombose du cathéter"] == [None]
    assert codes["thrombus tumoral"] == [None]


def test_bare_infection_and_distant_disease() -> None:
    codes = _codes("Plaie sans signe de surinfection. Carcinome du sein gauche, sans maladie à distance.")
    assert codes["surinfection"] == ["B99"]
    assert codes["maladie à distance"] == ["C79.9"]


def test_a_bare_lesion_or_mass_stays_uncoded() -> None:
    # "lésion" and "masse" say what the disease is only with more words
    codes = _codes("Patient de 60 ans sans antécédent. Le scanner montre une lésion.")
    assert codes["lésion"] == [None]


# --- a malignant tumour whose site is not written and whose histology names no organ: primary site not stated


def test_an_unsited_generic_cancer_is_c80_9() -> None:
    assert _codes("La biopsie montre un adénocarcinome moyennement différencié.")["adénocarcinome"] == ["C80.9"]


def test_the_unsited_code_is_not_for_a_sited_cancer_nor_a_lymphoma() -> None:
    # a site with no code of its own (a lymph node) is still a written site; a lymphoma is coded by its own table
    assert _codes("Carcinome ganglionnaire.")["carcinome ganglionnaire"] == [None]
    assert (
        "C80.9"
        not in _codes("Biopsie : lymphome anaplasique à grandes cellules.")["lymphome anaplasique à grandes cellules"]
    )


# --- a thrombosis of a named vein: the vein's code (cim10_refine.yaml I82.9 rules)


def test_a_thrombosis_of_a_named_vein_takes_the_veins_code() -> None:
    codes = _codes(
        "Le scanner montre une thrombose de la veine rénale gauche. Le doppler retrouve un thrombus dans la veine "
        "sous-clavière droite."
    )
    assert codes["thrombose de la veine rénale"] == ["I82.3"]
    assert codes["thrombus dans la veine sous-clavière"] == ["I82.8"]
    assert _codes("Thrombose au niveau de la veine cave inférieure.")["thrombose au niveau de la veine cave"] == [
        "I82.2"
    ]


def test_a_vein_inside_the_skull_or_of_the_retina_is_not_an_i82_vein() -> None:
    assert _codes("L'IRM montre une thrombose des veines cérébrales.")["thrombose des veines cérébrales"] == ["I67.6"]
    codes = _codes("Baisse d'acuité visuelle sur thrombose de la veine centrale de la rétine.")
    assert codes["thrombose de la veine centrale de la rétine"] == ["H34.8"]


# --- synonym rows: clinical wordings of coded diseases (conditions.csv, cim10_refine.yaml sites)


def test_clinical_wordings_of_coded_diseases() -> None:
    codes = _codes(
        "Antécédents : myélofibrose primitive, maladie hépatique chronique, hydrosadénite axillaire. Pas de complications "
        "post-chirurgicales. L'examen retrouve une xérose cutanée et des pseudofolliculites."
    )
    assert codes["myélofibrose primitive"] == ["D47.4"]
    assert codes["maladie hépatique chronique"] == ["K76.9"]
    assert codes["hydrosadénite"] == ["L73.2"]
    assert codes["complications post-chirurgicales"] == ["T81.9"]
    assert codes["xérose cutanée"] == ["L85.3"]
    # a xerosis of the conjunctiva is no skin disorder
    assert "L85.3" not in _codes("Xérose conjonctivale bilatérale.")["xérose conjonctivale bilatérale"]
    assert codes["pseudofolliculites"] == ["L73.8"]


def test_cysts_of_the_liver() -> None:
    assert _codes("L'échographie montre des kystes hépatiques simples.")["kystes hépatiques"] == ["K76.8"]


def test_hepatic_and_other_named_veins() -> None:
    assert _codes("Thrombose des veines sus-hépatiques.")["thrombose des veines sus-hépatiques"] == ["I82.0"]
    assert _codes("Thrombose de la veine ovarienne droite.")["thrombose de la veine ovarienne"] == ["I82.8"]
    # a vein the rules do not classify: the vein's words are the evidence, the code says no more than "a vein"
    assert _codes("Thrombose de la veine iliaque commune gauche.")["thrombose de la veine iliaque commune"] == ["I82.9"]


def test_veins_that_i82_excludes() -> None:
    # a mesenteric vein's thrombosis is an acute vascular disorder of the intestine (K55.0), an intracranial venous
    # sinus's a nonpyogenic thrombosis of the intracranial venous system (I67.6): I82 excludes both
    assert _codes("Thrombose de la veine mésentérique supérieure.")["thrombose de la veine mésentérique"] == ["K55.0"]
    assert _codes("Thrombose veineuse mésentérique.")["thrombose veineuse mésentérique"] == ["K55.0"]
    assert _codes("Thrombose de la veine splénique.")["thrombose de la veine splénique"] == ["I82.8"]


def test_toxic_liver_disease_anal_fistula_and_lymphangitis_carcinomatosa() -> None:
    codes = _codes(
        "Toxicité hépatique de grade 3 sous chimiothérapie. Fistule périanale. Lymphangite carcinomateuse "
        "pulmonaire bilatérale."
    )
    assert codes["toxicité hépatique"] == ["K71.9"]
    assert codes["fistule périanale"] == ["K60.3"]
    assert codes["lymphangite carcinomateuse pulmonaire"] == ["C78.0"]
    assert _codes("Carcinome bronchique avec lymphangite carcinomateuse.")["lymphangite carcinomateuse"] == ["C79.9"]


def test_an_unsited_benign_in_situ_or_teratoma_takes_its_behaviours_unspecified_code() -> None:
    codes = _codes("Exérèse d'un adénome. Présence d'un carcinome in situ. Tératome mature. Tératome.")
    assert codes["adénome"] == ["D36.9"]
    assert codes["carcinome in situ"] == ["D09.9"]
    assert codes["tératome mature"] == ["D36.9"]
    assert codes["tératome"] == ["D48.9"]


def test_a_written_site_still_codes_a_benign_or_uncertain_tumour() -> None:
    codes = _codes("Adénome du côlon. Tératome de l'ovaire.")
    assert codes["adénome du côlon"] == ["D12.6"]
    assert codes["tératome de l'ovaire"] == ["D39.1"]


def test_a_bare_tumour_of_uncertain_behaviour_stays_uncoded() -> None:
    # "la tumeur" is mostly the report's cancer named again: no "uncertain behaviour" code on it
    assert _codes("Le scanner montre une tumeur.")["tumeur"] == [None]


def test_bone_cyst_myocardial_ischaemia_and_bleeding_not_otherwise_stated() -> None:
    codes = _codes("Kyste osseux anévrismal du tibia. Ischémie myocardique à l'effort. Hémorragie active au scanner.")
    assert codes["kyste osseux anévrismal"] == ["M85.5"]
    assert codes["ischémie myocardique"] == ["I25.9"]
    assert codes["hémorragie active"] == ["R58"]


def test_an_unsited_metastasis_in_a_lymph_node_sentence_is_that_nodes() -> None:
    codes = _codes(
        "Carcinome canalaire du sein gauche. Curage axillaire : deux ganglions axillaires sont le siège de métastases."
    )
    assert codes["métastases"] == ["C77.3"]


def test_wordings_that_say_more_than_the_shorter_row() -> None:
    codes = _codes(
        "Multinévrite crânienne paranéoplasique. Encéphalomyélite myalgique. Maladie hépatique chronique alcoolique."
    )
    assert codes["multinévrite crânienne"] == ["G52.7"]
    assert codes["encéphalomyélite myalgique"] == ["G93.3"]
    assert codes["maladie hépatique chronique alcoolique"] == ["K70.9"]
