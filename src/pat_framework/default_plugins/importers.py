"""Default plugin `pat.importers`: the exports of Microsoft Forms, Google Forms, SurveyMonkey,
Qualtrics, LimeSurvey and KoboToolbox / ODK."""

from pat_framework.hookspecs import RegisterImporter, hookimpl


@hookimpl
def register_importers(register: RegisterImporter) -> None:
    from pat_framework.importers.googleforms import GoogleForms
    from pat_framework.importers.kobo import Kobo
    from pat_framework.importers.limesurvey import LimeSurvey
    from pat_framework.importers.msforms import MicrosoftForms
    from pat_framework.importers.qualtrics import Qualtrics
    from pat_framework.importers.surveymonkey import SurveyMonkey

    for importer in (
        MicrosoftForms(),
        GoogleForms(),
        SurveyMonkey(),
        Qualtrics(),
        LimeSurvey(),
        Kobo(),
    ):
        register(importer)
