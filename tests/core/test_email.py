from django.core.mail import send_mail


def test_mail_reaches_a_real_smtp_server(smtp_server):
    """Django's SMTP backend delivers to the test server and the message can be read back."""
    send_mail("Subject line", "Body text", "desk@example.org", ["reader@example.org"])
    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == "Subject line"
    assert message["To"] == "reader@example.org"
    assert message.get_content().strip() == "Body text"
