"""The printable certificate: an A4 PDF in my language with my name, the course, the date, the
number, the verification URL and a QR code to it."""

import io

from pypdf import PdfReader

from tests.certification.conftest import review, submit


def approved(client, learner, assessor) -> dict:
    certification = submit(client, learner).json
    return review(client, assessor, certification["id"], "approve").json


def certificate(client, learner, certification):
    return client.get(certification["certificate_url"], headers=learner.headers)


def test_the_certificate_opens_and_carries_its_number_and_url(client, graduate, assessor):
    certification = approved(client, graduate, assessor)

    response = certificate(client, graduate, certification)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = " ".join(page.extract_text().split())
    assert certification["number"] in text
    assert certification["verification_url"] in text
    assert "Amina Benali" in text
    assert "Generated course (en)" in text
    assert "Certificate" in text.title()
    links = [annotation.get_object()["/A"]["/URI"] for annotation in page["/Annots"]]
    assert certification["verification_url"] in links


def test_the_certificate_speaks_the_learners_language(
    client, person, assessor, certifiable, complete_course
):
    learner = person(locale="fr", display_name="Léa Dupont")
    complete_course(learner.headers, course="certifiable")
    certification = approved(client, learner, assessor)

    text = PdfReader(io.BytesIO(certificate(client, learner, certification).data)).pages[0]
    words = " ".join(text.extract_text().split())

    assert "CERTIFICAT" in words
    assert "Léa Dupont" in words
    assert "Generated course (fr)" in words
    assert "Numéro du certificat" in words


def test_there_is_no_certificate_before_approval_nor_for_others(client, graduate, assessor, person):
    certification = submit(client, graduate).json
    path = f"/api/v1/me/certifications/{certification['id']}/certificate.pdf"

    assert client.get(path, headers=graduate.headers).status_code == 409
    review(client, assessor, certification["id"], "approve")
    assert client.get(path, headers=person().headers).status_code == 404
    assert client.get(path, headers=graduate.headers).status_code == 200
