import type { ReactNode } from 'react';
import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Preview,
  Section,
  Text,
} from '@react-email/components';

const body = { backgroundColor: '#f6f7f9', fontFamily: 'Helvetica, Arial, sans-serif', color: '#1f2933' };
const container = {
  backgroundColor: '#ffffff',
  margin: '24px auto',
  padding: '24px 32px',
  maxWidth: '560px',
};
const practiceHeading = { fontSize: '18px', fontWeight: 600, margin: '0 0 16px' };
const footer = { fontSize: '12px', color: '#6b7280', lineHeight: '18px' };
const button = {
  backgroundColor: '#2f6f5e',
  color: '#ffffff',
  borderRadius: '6px',
  padding: '12px 20px',
  fontSize: '14px',
  fontWeight: 600,
};
const detailLabel = {
  fontSize: '12px',
  color: '#6b7280',
  margin: '12px 0 0',
  textTransform: 'uppercase' as const,
};
const detailValue = { fontSize: '15px', margin: '2px 0 0' };
const callout = {
  backgroundColor: '#fff7e6',
  borderLeft: '4px solid #d97706',
  padding: '8px 16px',
  margin: '16px 0',
};

/** Frame shared by every email: practice name on top, a short footer, and a preview line for inboxes. */
export function Layout({
  practiceName,
  preview,
  children,
}: {
  practiceName: string;
  preview: string;
  children: ReactNode;
}) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Heading as="h1" style={practiceHeading}>
            {practiceName}
          </Heading>
          {children}
          <Hr />
          <Text style={footer}>{`Sent by ${practiceName} through its online booking.`}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** A labelled fact (When, Service, ...), kept as one text node so it reads well in html and plain text. */
export function Detail({ label, value }: { label: string; value: string }) {
  return (
    <Section>
      <Text style={detailLabel}>{label}</Text>
      <Text style={detailValue}>{value}</Text>
    </Section>
  );
}

/** The one call to action of an email. */
export function Action({ href, label }: { href: string; label: string }) {
  return (
    <Section style={{ margin: '24px 0 8px' }}>
      <Button href={href} style={button}>
        {label}
      </Button>
    </Section>
  );
}

/** A highlighted paragraph for what the recipient must not miss. */
export function Callout({ children }: { children: ReactNode }) {
  return <Section style={callout}>{children}</Section>;
}

/** Body paragraph with the house spacing. */
export function P({ children }: { children: ReactNode }) {
  return <Text style={{ fontSize: '15px', lineHeight: '22px', margin: '12px 0' }}>{children}</Text>;
}
