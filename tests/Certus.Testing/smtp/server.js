// A real SMTP server for the tests, on loopback: node server.js <port> <folder>
// Each mail is written to <folder> as <n>.eml (as received) and <n>.json (parsed: from, to, subject, text, html).
// Prints "listening <port>" once it accepts connections.
'use strict';
const fs = require('fs');
const path = require('path');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const port = Number(process.argv[2]);
const folder = process.argv[3];
fs.mkdirSync(folder, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', async () => {
      try {
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        const name = `${Date.now()}-${process.pid}-${++count}`;
        fs.writeFileSync(path.join(folder, name + '.eml'), raw);
        const json = {
          from: parsed.from ? parsed.from.text : null,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject || '',
          text: parsed.text || '',
          html: parsed.html || null,
        };
        // Written under a temporary name and renamed, so a reader never sees half a file.
        fs.writeFileSync(path.join(folder, name + '.tmp'), JSON.stringify(json));
        fs.renameSync(path.join(folder, name + '.tmp'), path.join(folder, name + '.json'));
        callback();
      } catch (e) {
        callback(e);
      }
    });
  },
});
server.on('error', (e) => { console.error(e.message); process.exit(1); });
server.listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
